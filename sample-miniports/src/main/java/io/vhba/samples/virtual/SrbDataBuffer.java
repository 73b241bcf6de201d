package io.vhba.samples.virtual;

import io.vhba.hw.DataBuffer;
import io.vhba.miniport.MemoryBuffer;
import java.nio.ByteBuffer;

/**
 * The SRB's DataBuffer (its system virtual address: a virtual miniport has no DMA and asks for
 * no physical addresses) as the backing's {@link DataBuffer}. Moving data against the SRB's
 * direction is refused: the backing would otherwise scribble over a write's source buffer.
 */
public final class SrbDataBuffer implements DataBuffer {
    private final MemoryBuffer buffer;
    private final int length;
    private final boolean in;
    private final boolean out;

    public SrbDataBuffer(MemoryBuffer buffer, int length, boolean in, boolean out) {
        this.buffer = buffer;
        this.length = length;
        this.in = in;
        this.out = out;
    }

    @Override
    public int length() {
        return length;
    }

    @Override
    public void writeDataIn(int offset, ByteBuffer src) {
        check(in, offset, src.remaining(), "Data-In");
        byte[] b = new byte[src.remaining()];
        src.get(b);
        buffer.put(offset, b, 0, b.length);
    }

    @Override
    public void readDataOut(int offset, ByteBuffer dst) {
        check(out, offset, dst.remaining(), "Data-Out");
        byte[] b = new byte[dst.remaining()];
        buffer.get(offset, b, 0, b.length);
        dst.put(b);
    }

    private void check(boolean allowed, int offset, int n, String what) {
        if (!allowed) {
            throw new IllegalStateException(what + " on an SRB that does not announce it");
        }
        if (offset < 0 || (long) offset + n > length) {
            throw new IndexOutOfBoundsException(what + " [" + offset + ", +" + n + ") outside the " + length + "-byte buffer");
        }
    }
}
