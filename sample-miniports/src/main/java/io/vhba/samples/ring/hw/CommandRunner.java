package io.vhba.samples.ring.hw;

import io.vhba.hw.CommandLost;
import io.vhba.hw.DataBuffer;
import io.vhba.hw.Dma;
import io.vhba.hw.DmaFault;
import io.vhba.hw.ResultHandoff;
import io.vhba.hw.ScsiBus;
import io.vhba.hw.ScsiCommand;
import io.vhba.hw.ScsiResult;
import io.vhba.samples.common.hw.DeviceCommand.CommandCancelled;
import io.vhba.samples.common.hw.ScatterGatherBuffer;
import io.vhba.samples.common.hw.ScatterGatherBuffer.DirectionViolation;
import io.vhba.samples.ring.hw.RingStatistics.Counter;
import java.util.function.Consumer;

/**
 * Runs one fetched command: reads its scatter/gather list, runs the CDB on the addressed unit with
 * the data moving by DMA, writes the sense data and posts the completion entry. Raising the vector
 * is left to the caller, so a batch of completions shares one message; a command the unit answers
 * later (from its own thread) raises its vector itself.
 */
final class CommandRunner {
    private final Dma dma;
    private final ScsiBus bus;
    private final RingStatistics stats;
    private final int sgLimit;
    private final Consumer<DeviceQueue> raise;
    private final Consumer<FatalCode> fatal;

    CommandRunner(Dma dma, ScsiBus bus, RingStatistics stats, int sgLimit, Consumer<DeviceQueue> raise,
                  Consumer<FatalCode> fatal) {
        this.dma = dma;
        this.bus = bus;
        this.stats = stats;
        this.sgLimit = sgLimit;
        this.raise = raise;
        this.fatal = fatal;
    }

    /** Runs {@code c} to completion; true if it posted a completion entry (its queue's vector is then due). */
    boolean run(RingCommand c) {
        if (c.preset != null) {
            return complete(c, c.preset, null);
        }
        ScatterGatherBuffer buffer = null;
        if (c.direction != Direction.NONE) {
            try {
                buffer = ScatterGatherBuffer.fetch(c, dma, c.sgAddress, c.sgCount);
            } catch (DmaFault f) {
                return complete(c, HostStatus.DMA_ERROR, null);
            } catch (CommandCancelled x) {
                return false;
            }
            if (buffer == null || buffer.describedBytes() < c.dataLength) {
                return complete(c, HostStatus.INVALID, null);
            }
        }
        DataBuffer data = buffer != null ? buffer : DataBuffer.NONE;
        ScsiCommand scsi = new ScsiCommand(c.cdb, c.cdbLength, c.dataDirection(), data, c.taskAttribute);
        stats.increment(Counter.COMMANDS);
        ResultHandoff handoff = new ResultHandoff();
        try {
            bus.start(c.target, c.lun, scsi, handoff);
        } catch (CommandCancelled x) {
            return false;
        } catch (CommandLost l) {
            // The unit lost the command: the device forgets it without a completion, so only the driver's
            // own reset (which completes what it still holds) gets the request back.
            c.cancel();
            c.queue.pending.compareAndSet(c.commandId, c, null);
            stats.increment(Counter.LOST);
            return false;
        } catch (DmaFault f) {
            return finish(c, buffer, HostStatus.DMA_ERROR, null);
        } catch (DirectionViolation e) {
            return finish(c, buffer, HostStatus.INVALID, null);
        } catch (RuntimeException e) {
            // a failing device model must not wedge the command: report it, the driver maps it to an error
            return finish(c, buffer, HostStatus.DEVICE_ERROR, null);
        }
        ScatterGatherBuffer sg = buffer;
        ScsiResult result = handoff.takeOr(late -> {
            // The unit answers from its own thread (a SANITIZE without IMMED): the command stays pending until
            // then, and an abort or reset meanwhile completes it instead (complete() then finds it cancelled).
            if (finish(c, sg, HostStatus.OK, late)) {
                raise.accept(c.queue);
            }
        });
        return result != null && finish(c, buffer, HostStatus.OK, result);
    }

    /** The completion of a command the unit answered (or failed to): the buffer's own record comes first. */
    private boolean finish(RingCommand c, ScatterGatherBuffer buffer, HostStatus host, ScsiResult result) {
        if (host == HostStatus.OK && result == null) {
            host = HostStatus.DEVICE_ERROR;
        }
        if (buffer != null && buffer.directionViolated()) {
            host = HostStatus.INVALID;
        }
        if (buffer != null && buffer.faulted()) {
            host = HostStatus.DMA_ERROR; // the data is not whole
        }
        return complete(c, host, host == HostStatus.OK ? result : null);
    }

    /**
     * Posts the entry of a command someone else cancelled ({@link RingCommand#cancel()} returned true) with
     * {@code status}. True if posted.
     */
    boolean completeCancelled(RingCommand c, HostStatus status) {
        return post(c, status, 0, 0, 0);
    }

    /** Writes the sense data (CHECK CONDITION with sense), then posts the entry; false if cancelled meanwhile. */
    private boolean complete(RingCommand c, HostStatus host, ScsiResult result) {
        int senseWritten = 0;
        synchronized (c) {
            if (!c.markCompleted()) {
                return false; // cancelled meanwhile: whoever cancelled it reports it
            }
            if (result != null && result.sense() != null && c.senseLength > 0) {
                byte[] sense = result.sense().toBytes();
                int n = Math.min(Math.min(sense.length, c.senseLength), 0xFF);
                try {
                    dma.write(c.senseAddress, sense, 0, n);
                    senseWritten = n;
                } catch (DmaFault f) {
                    host = HostStatus.DMA_ERROR; // the answer cannot be delivered whole
                    result = null;
                }
            }
        }
        int status = result == null ? 0 : result.status().code();
        int transferred = result == null ? 0 : Math.max(0, Math.min(result.transferred(), c.dataLength));
        return post(c, host, status, transferred, senseWritten);
    }

    private boolean post(RingCommand c, HostStatus host, int scsiStatus, int transferred, int senseLength) {
        try {
            if (!c.queue.post(c, host, scsiStatus, transferred, senseLength, dma)) {
                return false;
            }
        } catch (DeviceQueue.Fatal f) {
            fatal.accept(f.code);
            return false;
        }
        stats.increment(Counter.COMPLETIONS);
        return true;
    }
}
