package io.vhba.samples.mailbox.hw;

import io.vhba.hw.DataBuffer;
import io.vhba.hw.Dma;
import io.vhba.hw.DmaFault;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The driver's data buffer as the logical unit sees it: each transfer is cut at the
 * scatter/gather element boundaries and goes straight between the unit's buffer and host
 * memory through {@link Dma}, without a staging copy of the whole transfer.
 */
final class SgDataBuffer implements DataBuffer {
    private final SlotCommand command;
    private final Dma dma;
    private final long[] address;
    private final int[] elementLength;
    /** {@code start[i]}: the buffer offset of element i; {@code start[n]} the total. */
    private final long[] start;
    private final int length;
    private final boolean dataInAllowed;
    private final boolean dataOutAllowed;
    private volatile boolean faulted;
    private volatile boolean directionViolated;

    SgDataBuffer(SlotCommand command, Dma dma, long[] address, int[] elementLength) {
        this.command = command;
        this.dma = dma;
        this.address = address;
        this.elementLength = elementLength;
        this.start = new long[address.length + 1];
        for (int i = 0; i < address.length; i++) {
            start[i + 1] = start[i] + elementLength[i];
        }
        this.length = command.dataLength;
        this.dataInAllowed = command.direction == SlotDirection.IN || command.direction == SlotDirection.BIDIRECTIONAL;
        this.dataOutAllowed = command.direction == SlotDirection.OUT || command.direction == SlotDirection.BIDIRECTIONAL;
    }

    /** Total bytes the list describes; the slot is INVALID when this is below DATA_LENGTH. */
    long describedBytes() {
        return start[address.length];
    }

    /** True if a data-phase DMA faulted, even if the unit swallowed the exception. */
    boolean faulted() {
        return faulted;
    }

    /** True if the unit moved data against the announced direction, even if it swallowed the exception. */
    boolean directionViolated() {
        return directionViolated;
    }

    @Override
    public int length() {
        return length;
    }

    @Override
    public void writeDataIn(int offset, ByteBuffer src) {
        if (!dataInAllowed) {
            directionViolated = true;
            throw new DirectionViolation("Data-In on a slot announced as " + command.direction);
        }
        transfer(offset, src, true);
    }

    @Override
    public void readDataOut(int offset, ByteBuffer dst) {
        if (!dataOutAllowed) {
            directionViolated = true;
            throw new DirectionViolation("Data-Out on a slot announced as " + command.direction);
        }
        transfer(offset, dst, false);
    }

    private void transfer(int offset, ByteBuffer buf, boolean toHost) {
        int n = buf.remaining();
        if (offset < 0 || (long) offset + n > length) {
            throw new IndexOutOfBoundsException("transfer [" + offset + ", +" + n + ") outside the " + length + "-byte buffer");
        }
        if (n == 0) {
            return;
        }
        int i = element(offset);
        long inElement = offset - start[i];
        int limit = buf.limit();
        try {
            while (buf.hasRemaining()) {
                int chunk = (int) Math.min(buf.remaining(), elementLength[i] - inElement);
                int pos = buf.position();
                buf.limit(pos + chunk);
                synchronized (command) {
                    command.ensurePending();
                    if (toHost) {
                        dma.write(address[i] + inElement, buf);
                    } else {
                        dma.read(address[i] + inElement, buf);
                    }
                }
                buf.limit(limit);
                buf.position(pos + chunk);
                i++;
                inElement = 0;
            }
        } catch (DmaFault f) {
            faulted = true;
            throw f;
        } finally {
            buf.limit(limit);
        }
    }

    /** The element holding buffer offset {@code offset} (skipping zero-length elements). */
    private int element(int offset) {
        int i = Arrays.binarySearch(start, 0, address.length, offset);
        if (i < 0) {
            return -i - 2;
        }
        while (i < address.length - 1 && elementLength[i] == 0) {
            i++;
        }
        return i;
    }

    /** The unit moved data against the direction the driver announced in the slot. */
    static final class DirectionViolation extends RuntimeException {
        private static final long serialVersionUID = 1L;

        DirectionViolation(String message) {
            super(message);
        }
    }
}
