package io.vhba.samples.halfduplex.hw;

import io.vhba.hw.DataBuffer;
import io.vhba.hw.Dma;
import io.vhba.hw.DmaFault;
import java.nio.ByteBuffer;

/**
 * The driver's data buffer as the logical unit sees it: transfers are cut at the
 * scatter/gather entries and go straight to or from host memory by DMA. Moving data against
 * the command block's DIRECTION is refused and remembered, as is a DMA fault, so the
 * controller reports them even if the unit swallowed the exception.
 */
final class ListDataBuffer implements DataBuffer {
    /** Data moved against DIRECTION. */
    static final class DirectionViolation extends RuntimeException {
        private static final long serialVersionUID = 1L;

        DirectionViolation(String message) {
            super(message);
        }
    }

    private final Dma dma;
    private final long[] address;
    private final int[] entryLength;
    private final int length;
    private final int direction;
    private volatile boolean faulted;
    private volatile boolean directionViolated;

    ListDataBuffer(Dma dma, long[] address, int[] entryLength, int length, int direction) {
        this.dma = dma;
        this.address = address;
        this.entryLength = entryLength;
        this.length = length;
        this.direction = direction;
    }

    /** Bytes the list describes; the command is INVALID when this is below DATA_LENGTH. */
    long describedBytes() {
        long n = 0;
        for (int l : entryLength) {
            n += l;
        }
        return n;
    }

    boolean faulted() {
        return faulted;
    }

    boolean directionViolated() {
        return directionViolated;
    }

    @Override
    public int length() {
        return length;
    }

    @Override
    public void writeDataIn(int offset, ByteBuffer src) {
        transfer(offset, src, CommandBlock.DIRECTION_IN);
    }

    @Override
    public void readDataOut(int offset, ByteBuffer dst) {
        transfer(offset, dst, CommandBlock.DIRECTION_OUT);
    }

    private void transfer(int offset, ByteBuffer buf, int wanted) {
        if (direction != wanted) {
            directionViolated = true;
            throw new DirectionViolation("data moved " + (wanted == CommandBlock.DIRECTION_IN ? "in" : "out")
                    + " on a command block announced as direction " + direction);
        }
        int n = buf.remaining();
        if (offset < 0 || (long) offset + n > length) {
            throw new IndexOutOfBoundsException("transfer [" + offset + ", +" + n + ") outside the " + length + "-byte buffer");
        }
        int i = 0;
        long skip = offset;
        while (i < entryLength.length && skip >= entryLength[i]) {
            skip -= entryLength[i++];
        }
        int limit = buf.limit();
        try {
            while (buf.hasRemaining()) {
                int chunk = (int) Math.min(buf.remaining(), entryLength[i] - skip);
                buf.limit(buf.position() + chunk);
                if (wanted == CommandBlock.DIRECTION_IN) {
                    dma.write(address[i] + skip, buf);
                } else {
                    dma.read(address[i] + skip, buf);
                }
                buf.limit(limit);
                i++;
                skip = 0;
            }
        } catch (DmaFault f) {
            faulted = true;
            throw f;
        } finally {
            buf.limit(limit);
        }
    }
}
