package io.vhba.samples.mailbox.hw;

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
import io.vhba.samples.mailbox.hw.MailboxLayout.Slot;
import io.vhba.samples.mailbox.hw.MailboxStatistics.Counter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Consumer;

/**
 * Runs one latched command: fetches its scatter/gather list, runs the CDB on the addressed
 * unit with the data moving by DMA, writes the completion area and posts the queue entry.
 * Raising the interrupt is left to the caller, so a batch of completions can share one; a
 * command the unit answers later (from its own thread) raises its vector itself.
 */
final class CommandProcessor {
    private final Dma dma;
    private final ScsiBus bus;
    private final CompletionQueues queues;
    private final AtomicReferenceArray<SlotCommand> inFlight;
    private final MailboxStatistics stats;
    private final Consumer<FatalCode> fatal;

    CommandProcessor(Dma dma, ScsiBus bus, CompletionQueues queues, AtomicReferenceArray<SlotCommand> inFlight,
                     MailboxStatistics stats, Consumer<FatalCode> fatal) {
        this.dma = dma;
        this.bus = bus;
        this.queues = queues;
        this.inFlight = inFlight;
        this.stats = stats;
        this.fatal = fatal;
    }

    /** Runs {@code command} to completion; returns the vector it posted to, or -1 if nothing was posted. */
    int run(SlotCommand command) {
        if (command.preset != null) {
            return complete(command, command.preset, null);
        }
        ScatterGatherBuffer buffer = null;
        if (command.direction != SlotDirection.NONE) {
            try {
                buffer = ScatterGatherBuffer.fetch(command, dma, command.sgAddress, command.sgCount);
            } catch (DmaFault f) {
                return complete(command, HostStatus.DMA_ERROR, null);
            } catch (CommandCancelled c) {
                return -1;
            }
            if (buffer == null || buffer.describedBytes() < command.dataLength) {
                return complete(command, HostStatus.INVALID, null);
            }
        }
        DataBuffer data = buffer != null ? buffer : DataBuffer.NONE;
        ScsiCommand scsi = new ScsiCommand(command.cdb, command.cdbLength, command.dataDirection(), data,
                command.taskAttribute);
        stats.increment(Counter.COMMANDS);
        ResultHandoff handoff = new ResultHandoff();
        try {
            bus.start(command.target, command.lun, scsi, handoff);
        } catch (CommandCancelled c) {
            return -1;
        } catch (CommandLost l) {
            // The unit lost the command: the device forgets the slot without a completion, so only
            // the driver's own bus reset (which completes what it still holds) gets it back.
            synchronized (command) {
                command.cancel();
            }
            inFlight.compareAndSet(command.slot, command, null);
            stats.increment(Counter.LOST);
            return -1;
        } catch (DmaFault f) {
            return finish(command, buffer, HostStatus.DMA_ERROR, null);
        } catch (DirectionViolation e) {
            return finish(command, buffer, HostStatus.INVALID, null);
        } catch (RuntimeException e) {
            // a failing device model must not wedge the slot: report it, the driver maps it to an error
            return finish(command, buffer, HostStatus.DEVICE_ERROR, null);
        }
        ScatterGatherBuffer sg = buffer;
        ScsiResult result = handoff.takeOr(late -> {
            // The unit answers from its own thread (a SANITIZE without IMMED): the slot stays open until
            // then, and an abort or reset meanwhile completes it instead (complete() then finds it cancelled).
            int vector = finish(command, sg, HostStatus.OK, late);
            if (vector >= 0) {
                queues.raise(vector);
            }
        });
        return result == null ? -1 : finish(command, buffer, HostStatus.OK, result);
    }

    /** The completion of a command the unit answered (or failed to): checks the buffer's own record first. */
    private int finish(SlotCommand command, ScatterGatherBuffer buffer, HostStatus host, ScsiResult result) {
        if (host == HostStatus.OK && result == null) {
            host = HostStatus.DEVICE_ERROR;
        }
        // the unit may have swallowed the exception: the flags are the device's own record
        if (buffer != null && buffer.directionViolated()) {
            host = HostStatus.INVALID;
        }
        if (buffer != null && buffer.faulted()) {
            host = HostStatus.DMA_ERROR; // the data is not whole
        }
        return complete(command, host, host == HostStatus.OK ? result : null);
    }

    /**
     * Completes a command someone else cancelled ({@link SlotCommand#cancel()} returned true):
     * writes {@code status} to its completion area and, with {@code post}, posts its entry.
     * Returns the vector posted to, or -1.
     */
    int completeCancelled(SlotCommand command, HostStatus status, boolean post) {
        try {
            dma.write(command.config.slotAddress(command.slot) + Slot.COMPLETION_AREA,
                    completionArea(status, null, 0));
        } catch (DmaFault f) {
            if (post) {
                fatal.accept(FatalCode.DMA_FAULT);
            }
            return -1;
        }
        inFlight.compareAndSet(command.slot, command, null);
        if (post && queues.post(command.config, command.vector, command.slot)) {
            return command.vector;
        }
        return -1;
    }

    private int complete(SlotCommand command, HostStatus host, ScsiResult result) {
        ByteBuffer area = completionArea(host, result, command.dataLength);
        boolean faulted = false;
        synchronized (command) {
            if (!command.markCompleted()) {
                return -1; // cancelled meanwhile: whoever cancelled it reports it
            }
            try {
                dma.write(command.config.slotAddress(command.slot) + Slot.COMPLETION_AREA, area);
            } catch (DmaFault f) {
                faulted = true;
            }
        }
        if (faulted) {
            fatal.accept(FatalCode.DMA_FAULT);
            return -1;
        }
        inFlight.compareAndSet(command.slot, command, null);
        return queues.post(command.config, command.vector, command.slot) ? command.vector : -1;
    }

    /** The completion area bytes (0x38..0x5F of the slot). */
    static ByteBuffer completionArea(HostStatus host, ScsiResult result, int dataLength) {
        ByteBuffer b = ByteBuffer.allocate(Slot.COMPLETION_AREA_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        b.put(Slot.HOST_STATUS - Slot.COMPLETION_AREA, (byte) host.code());
        if (result != null) {
            b.put(Slot.SCSI_STATUS - Slot.COMPLETION_AREA, (byte) result.status().code());
            b.putInt(Slot.TRANSFERRED - Slot.COMPLETION_AREA, Math.max(0, Math.min(result.transferred(), dataLength)));
            if (result.sense() != null) {
                byte[] sense = result.sense().toBytes();
                int n = Math.min(sense.length, Slot.SENSE_MAX);
                b.put(Slot.SENSE_LENGTH - Slot.COMPLETION_AREA, (byte) n);
                b.put(Slot.SENSE - Slot.COMPLETION_AREA, sense, 0, n);
            }
        }
        return b;
    }
}
