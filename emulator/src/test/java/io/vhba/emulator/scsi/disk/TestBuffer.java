package io.vhba.emulator.scsi.disk;

import io.vhba.hw.DataBuffer;
import java.nio.ByteBuffer;

/** A tiny in-memory {@link DataBuffer}: a byte array standing in for the initiator's buffer in host memory. */
final class TestBuffer implements DataBuffer {

    final byte[] bytes;

    TestBuffer(int length) {
        this.bytes = new byte[length];
    }

    TestBuffer(byte[] bytes) {
        this.bytes = bytes;
    }

    @Override
    public int length() {
        return bytes.length;
    }

    @Override
    public void writeDataIn(int offset, ByteBuffer src) {
        if (offset < 0 || offset + src.remaining() > bytes.length) {
            throw new IndexOutOfBoundsException("data-in past the buffer: " + offset + "+" + src.remaining());
        }
        src.get(bytes, offset, src.remaining());
    }

    @Override
    public void readDataOut(int offset, ByteBuffer dst) {
        if (offset < 0 || offset + dst.remaining() > bytes.length) {
            throw new IndexOutOfBoundsException("data-out past the buffer: " + offset + "+" + dst.remaining());
        }
        dst.put(bytes, offset, dst.remaining());
    }
}
