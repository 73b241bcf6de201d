package io.vhba.samples.halfduplex.hw;

import io.vhba.hw.DataBuffer;
import io.vhba.hw.DataDirection;
import io.vhba.hw.Dma;
import io.vhba.hw.DmaFault;
import io.vhba.hw.ResultHandoff;
import io.vhba.hw.ScsiBus;
import io.vhba.hw.ScsiCommand;
import io.vhba.hw.ScsiResult;
import io.vhba.samples.common.hw.SgEntry;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Runs one latched command block: fetches the scatter/gather list, runs the CDB on the
 * addressed unit with the data moving by DMA, and writes the completion half back. Posting
 * the tag and raising the line are the controller's.
 */
final class CommandExecution {
    /** The request half, as latched at SUBMIT. */
    record Latched(int tag, long address, ByteBuffer request) {}

    /** What the run ended with: written to the block (true), or the completion half could not be written. */
    enum Outcome { WRITTEN, COMPLETION_FAULT }

    private final Dma dma;
    private final ScsiBus bus;
    private final int sgLimit;

    CommandExecution(Dma dma, ScsiBus bus, int sgLimit) {
        this.dma = dma;
        this.bus = bus;
        this.sgLimit = sgLimit;
    }

    /** Reads the request half at SUBMIT; a fault here is fatal (no completion half can be written either). */
    Latched latch(int tag, long address) {
        ByteBuffer request = ByteBuffer.allocate(CommandBlock.REQUEST_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        dma.read(address, request);
        request.clear();
        return new Latched(tag, address, request);
    }

    /**
     * Runs the command and returns its outcome, or null when the unit answers after this returns (a SANITIZE
     * without IMMED): {@code late} then receives, on the unit's thread, the write of the completion half, for
     * the controller to run when it allows.
     */
    Outcome run(Latched c, Consumer<Supplier<Outcome>> late) {
        ByteBuffer r = c.request();
        int cdbLength = r.get(CommandBlock.CDB_LENGTH) & 0xFF;
        int direction = r.get(CommandBlock.DIRECTION) & 0xFF;
        int dataLength = r.getInt(CommandBlock.DATA_LENGTH);
        int sgCount = r.getInt(CommandBlock.SG_COUNT);
        boolean none = direction == CommandBlock.DIRECTION_NONE;
        boolean valid = cdbLength >= 1 && cdbLength <= CommandBlock.CDB_MAX && direction <= CommandBlock.DIRECTION_OUT
                && (none ? dataLength == 0 && sgCount == 0 : dataLength > 0 && sgCount >= 1 && sgCount <= sgLimit);
        if (!valid) {
            return complete(c, CompletionCode.INVALID, null);
        }
        ListDataBuffer buffer = null;
        if (!none) {
            try {
                buffer = fetchList(r.getLong(CommandBlock.SG_ADDRESS), sgCount, dataLength, direction);
            } catch (DmaFault f) {
                return complete(c, CompletionCode.DMA_ERROR, null);
            }
            if (buffer == null || buffer.describedBytes() < dataLength) {
                return complete(c, CompletionCode.INVALID, null);
            }
        }
        byte[] cdb = new byte[CommandBlock.CDB_MAX];
        r.get(CommandBlock.CDB, cdb);
        DataDirection dir = none ? DataDirection.NONE
                : direction == CommandBlock.DIRECTION_IN ? DataDirection.IN : DataDirection.OUT;
        ScsiCommand command = new ScsiCommand(cdb, cdbLength, dir, buffer != null ? buffer : DataBuffer.NONE,
                r.get(CommandBlock.TASK_ATTRIBUTE) & 0xFF);
        ResultHandoff handoff = new ResultHandoff();
        try {
            bus.start(r.get(CommandBlock.TARGET) & 0xFF, r.get(CommandBlock.LUN) & 0xFF, command, handoff);
        } catch (DmaFault f) {
            return finish(c, buffer, CompletionCode.DMA_ERROR, null);
        } catch (ListDataBuffer.DirectionViolation e) {
            return finish(c, buffer, CompletionCode.INVALID, null);
        } catch (RuntimeException e) {
            return finish(c, buffer, CompletionCode.DEVICE_ERROR, null); // a failing unit must not wedge the tag
        }
        ListDataBuffer list = buffer;
        ScsiResult result = handoff.takeOr(answer -> late.accept(() -> finish(c, list, CompletionCode.OK, answer)));
        return result == null ? null : finish(c, buffer, CompletionCode.OK, result);
    }

    /** Checks the buffer's own record of the data phase, then writes the completion half. */
    private Outcome finish(Latched c, ListDataBuffer buffer, CompletionCode code, ScsiResult result) {
        if (code == CompletionCode.OK && result == null) {
            code = CompletionCode.DEVICE_ERROR;
        }
        if (buffer != null && buffer.directionViolated()) {
            code = CompletionCode.INVALID;
        }
        if (buffer != null && buffer.faulted()) {
            code = CompletionCode.DMA_ERROR;
        }
        return complete(c, code, code == CompletionCode.OK ? result : null);
    }

    /** The list, or null when an entry is 2 GiB or more. */
    private ListDataBuffer fetchList(long listAddress, int count, int dataLength, int direction) {
        ByteBuffer list = ByteBuffer.allocate(count * SgEntry.SIZE).order(ByteOrder.LITTLE_ENDIAN);
        dma.read(listAddress, list);
        long[] address = new long[count];
        int[] length = new int[count];
        for (int i = 0; i < count; i++) {
            address[i] = list.getLong(i * SgEntry.SIZE + SgEntry.ADDRESS);
            length[i] = list.getInt(i * SgEntry.SIZE + SgEntry.LENGTH);
            if (length[i] < 0) {
                return null;
            }
        }
        return new ListDataBuffer(dma, address, length, dataLength, direction);
    }

    private Outcome complete(Latched c, CompletionCode code, ScsiResult result) {
        ByteBuffer b = ByteBuffer.allocate(CommandBlock.COMPLETION_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        b.put(CommandBlock.COMPLETION_CODE - CommandBlock.COMPLETION, (byte) code.code());
        if (result != null) {
            int dataLength = c.request().getInt(CommandBlock.DATA_LENGTH);
            b.put(CommandBlock.SCSI_STATUS - CommandBlock.COMPLETION, (byte) result.status().code());
            b.putInt(CommandBlock.TRANSFERRED - CommandBlock.COMPLETION, Math.max(0, Math.min(result.transferred(), dataLength)));
            if (result.sense() != null) {
                byte[] sense = result.sense().toBytes();
                int n = Math.min(sense.length, CommandBlock.SENSE_MAX);
                b.put(CommandBlock.SENSE_LENGTH - CommandBlock.COMPLETION, (byte) n);
                b.put(CommandBlock.SENSE - CommandBlock.COMPLETION, sense, 0, n);
            }
        }
        try {
            dma.write(c.address() + CommandBlock.COMPLETION, b);
            return Outcome.WRITTEN;
        } catch (DmaFault f) {
            return Outcome.COMPLETION_FAULT;
        }
    }
}
