package io.vhba.samples.ring.hw;

import io.vhba.hw.DataBuffer;
import io.vhba.hw.Dma;
import io.vhba.hw.DmaFault;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The driver's data buffer as the logical unit sees it: each transfer is cut at the
 * scatter/gather entries and goes straight between the unit and host memory through {@link Dma},
 * under the command's monitor so a cancelled command moves no more data. Moving data against the
 * announced direction is refused and remembered, as is a DMA fault, so the controller reports them
 * even if the unit swallowed the exception.
 */
final class SgBuffer implements DataBuffer {
    /** Data moved against the submission entry's direction. */
    static final class DirectionViolation extends RuntimeException {
        private static final long serialVersionUID = 1L;

        DirectionViolation(String message) {
            super(message, null, false, false);
        }
    }

    private final RingCommand command;
    private final Dma dma;
    private final long[] address;
    private final int[] entryLength;
    /** {@code start[i]}: the buffer offset of entry i; {@code start[n]} the total. */
    private final long[] start;
    private volatile boolean faulted;
    private volatile boolean directionViolated;

    SgBuffer(RingCommand command, Dma dma, long[] address, int[] entryLength) {
        this.command = command;
        this.dma = dma;
        this.address = address;
        this.entryLength = entryLength;
        this.start = new long[address.length + 1];
        for (int i = 0; i < address.length; i++) {
            start[i + 1] = start[i] + entryLength[i];
        }
    }

    /** Bytes the list describes; the command is INVALID when this is below DATA_LENGTH. */
    long describedBytes() {
        return start[address.length];
    }

    boolean faulted() {
        return faulted;
    }

    boolean directionViolated() {
        return directionViolated;
    }

    @Override
    public int length() {
        return command.dataLength;
    }

    @Override
    public void writeDataIn(int offset, ByteBuffer src) {
        if (command.direction != Direction.IN && command.direction != Direction.BIDIRECTIONAL) {
            directionViolated = true;
            throw new DirectionViolation("Data-In on a command announced as " + command.direction);
        }
        transfer(offset, src, true);
    }

    @Override
    public void readDataOut(int offset, ByteBuffer dst) {
        if (command.direction != Direction.OUT && command.direction != Direction.BIDIRECTIONAL) {
            directionViolated = true;
            throw new DirectionViolation("Data-Out on a command announced as " + command.direction);
        }
        transfer(offset, dst, false);
    }

    private void transfer(int offset, ByteBuffer buf, boolean toHost) {
        int n = buf.remaining();
        if (offset < 0 || (long) offset + n > command.dataLength) {
            throw new IndexOutOfBoundsException("transfer [" + offset + ", +" + n + ") outside the " + command.dataLength + "-byte buffer");
        }
        if (n == 0) {
            return;
        }
        int i = entry(offset);
        long inEntry = offset - start[i];
        int limit = buf.limit();
        try {
            while (buf.hasRemaining()) {
                int chunk = (int) Math.min(buf.remaining(), entryLength[i] - inEntry);
                int pos = buf.position();
                buf.limit(pos + chunk);
                synchronized (command) {
                    command.ensurePending();
                    if (toHost) {
                        dma.write(address[i] + inEntry, buf);
                    } else {
                        dma.read(address[i] + inEntry, buf);
                    }
                }
                buf.limit(limit);
                buf.position(pos + chunk);
                i++;
                inEntry = 0;
            }
        } catch (DmaFault f) {
            faulted = true;
            throw f;
        } finally {
            buf.limit(limit);
        }
    }

    /** The entry holding buffer offset {@code offset} (skipping zero-length entries). */
    private int entry(int offset) {
        int i = Arrays.binarySearch(start, 0, address.length, offset);
        if (i < 0) {
            return -i - 2;
        }
        while (i < address.length - 1 && entryLength[i] == 0) {
            i++;
        }
        return i;
    }
}
