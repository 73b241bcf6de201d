package io.vhba.samples.common.hw;

import io.vhba.hw.DataBuffer;
import io.vhba.hw.DataDirection;
import io.vhba.hw.Dma;
import io.vhba.hw.DmaFault;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A command's data buffer as the logical unit sees it, described by the driver's hardware
 * scatter/gather list, read from host memory by {@link #fetch}: each transfer is cut at the
 * entries' boundaries and goes straight between the unit and host memory through {@link Dma},
 * without a staging copy, under the command's monitor after {@link DeviceCommand#ensurePending()},
 * so a cancelled command moves no more data. Moving data against the announced direction is
 * refused and remembered, as is a DMA fault, so the controller reports them even if the unit
 * swallowed the exception.
 */
public final class ScatterGatherBuffer implements DataBuffer {

    /** The unit moved data against the direction the driver announced. */
    public static final class DirectionViolation extends RuntimeException {
        private static final long serialVersionUID = 1L;

        DirectionViolation(String message) {
            super(message, null, false, false);
        }
    }

    private final DeviceCommand command;
    private final Dma dma;
    private final long[] address;
    private final int[] entryLength;
    /** {@code start[i]}: the buffer offset of entry i; {@code start[n]} the total. */
    private final long[] start;
    private final int length;
    private final boolean dataInAllowed;
    private final boolean dataOutAllowed;
    private volatile boolean faulted;
    private volatile boolean directionViolated;

    /**
     * Reads the command's list of {@code count} {@link SgEntry entries} at {@code listAddress} with
     * one DMA, under the command's monitor. Null when an entry is 2 GiB or more (no driver builds
     * one): the command is INVALID. A {@link DmaFault} or {@link DeviceCommand.CommandCancelled}
     * is the caller's to handle.
     */
    public static ScatterGatherBuffer fetch(DeviceCommand command, Dma dma, long listAddress, int count) {
        if (count == 0) {
            return new ScatterGatherBuffer(command, dma, new long[0], new int[0]);
        }
        ByteBuffer list = ByteBuffer.allocate(count * SgEntry.SIZE).order(ByteOrder.LITTLE_ENDIAN);
        synchronized (command) {
            command.ensurePending();
            dma.read(listAddress, list);
        }
        long[] address = new long[count];
        int[] length = new int[count];
        for (int i = 0; i < count; i++) {
            address[i] = list.getLong(i * SgEntry.SIZE + SgEntry.ADDRESS);
            length[i] = list.getInt(i * SgEntry.SIZE + SgEntry.LENGTH);
            if (length[i] < 0) {
                return null;
            }
        }
        return new ScatterGatherBuffer(command, dma, address, length);
    }

    /** {@code address[i]} and {@code entryLength[i]}: entry i of the list, in list order. */
    private ScatterGatherBuffer(DeviceCommand command, Dma dma, long[] address, int[] entryLength) {
        this.command = command;
        this.dma = dma;
        this.address = address;
        this.entryLength = entryLength;
        this.start = new long[address.length + 1];
        for (int i = 0; i < address.length; i++) {
            start[i + 1] = start[i] + entryLength[i];
        }
        this.length = command.dataLength();
        DataDirection direction = command.dataDirection();
        this.dataInAllowed = direction == DataDirection.IN || direction == DataDirection.BIDIRECTIONAL;
        this.dataOutAllowed = direction == DataDirection.OUT || direction == DataDirection.BIDIRECTIONAL;
    }

    /** Bytes the list describes; the command is INVALID when this is below DATA_LENGTH. */
    public long describedBytes() {
        return start[address.length];
    }

    /** True if a data-phase DMA faulted, even if the unit swallowed the exception. */
    public boolean faulted() {
        return faulted;
    }

    /** True if the unit moved data against the announced direction, even if it swallowed the exception. */
    public boolean directionViolated() {
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
            throw new DirectionViolation("Data-In on a command announced as " + command.dataDirection());
        }
        transfer(offset, src, true);
    }

    @Override
    public void readDataOut(int offset, ByteBuffer dst) {
        if (!dataOutAllowed) {
            directionViolated = true;
            throw new DirectionViolation("Data-Out on a command announced as " + command.dataDirection());
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
