package io.vhba.miniport;

/**
 * A window of simulated host memory at a kernel virtual address: what a C miniport
 * reaches through a pointer. Multi-byte accessors are little-endian, as on x86.
 *
 * <p>The pages behind one buffer are in general not physically contiguous; use
 * {@link StorPort#getPhysicalAddress} (or the SRB's scatter/gather list) to learn the
 * physical ranges a device must DMA to. An uncached extension is the exception: it is
 * physically contiguous.
 */
public interface MemoryBuffer {

    /** The kernel virtual address of byte 0. */
    long virtualAddress();

    /** The length in bytes. */
    int length();

    byte getByte(int offset);

    short getShort(int offset);

    int getInt(int offset);

    long getLong(int offset);

    void putByte(int offset, byte value);

    void putShort(int offset, short value);

    void putInt(int offset, int value);

    void putLong(int offset, long value);

    void get(int offset, byte[] dst, int dstOffset, int length);

    void put(int offset, byte[] src, int srcOffset, int length);

    /** Zero {@code length} bytes from {@code offset}. */
    void fill(int offset, int length, byte value);

    /** A view of {@code length} bytes from {@code offset}, sharing the memory. */
    MemoryBuffer slice(int offset, int length);
}
