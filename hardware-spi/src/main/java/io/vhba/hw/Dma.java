package io.vhba.hw;

import java.nio.ByteBuffer;

/**
 * The device's bus-master view of host memory: reads and writes by physical address.
 * An access outside any allocation throws {@link DmaFault} with the address. The platform
 * counts the bytes and may inject delays or failures (fault injection).
 *
 * <p>Multi-byte accessors are little-endian, as on x86 hosts.
 */
public interface Dma {

    /** Copies {@code dst.remaining()} bytes from host memory at {@code physicalAddress} into {@code dst}. */
    void read(long physicalAddress, ByteBuffer dst);

    /** Copies {@code src.remaining()} bytes from {@code src} to host memory at {@code physicalAddress}. */
    void write(long physicalAddress, ByteBuffer src);

    int readInt(long physicalAddress);

    long readLong(long physicalAddress);

    void writeInt(long physicalAddress, int value);

    void writeLong(long physicalAddress, long value);

    /** Reads {@code length} bytes into {@code dst[offset..]}. */
    default void read(long physicalAddress, byte[] dst, int offset, int length) {
        read(physicalAddress, ByteBuffer.wrap(dst, offset, length));
    }

    /** Writes {@code length} bytes from {@code src[offset..]}. */
    default void write(long physicalAddress, byte[] src, int offset, int length) {
        write(physicalAddress, ByteBuffer.wrap(src, offset, length));
    }
}
