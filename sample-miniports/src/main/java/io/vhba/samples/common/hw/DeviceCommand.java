package io.vhba.samples.common.hw;

import io.vhba.hw.DataDirection;

/**
 * A command a simulated controller owns, from the moment it latches it (a doorbelled slot, a
 * fetched ring entry) until it reports it: PENDING, then COMPLETED by the runner or CANCELLED by
 * ABORT, LUN_RESET or RESET, whichever comes first.
 *
 * <p>Every DMA the command makes is done holding this object's monitor after
 * {@link #ensurePending()}, so once {@link #cancel()} returns the command touches host memory no
 * more: that is what lets the device hand the request's buffers back to the driver while a worker
 * thread is mid-transfer. What the command carries (slot fields, ring entry fields) is each
 * device's own: see the subclasses.
 */
public abstract class DeviceCommand {

    private enum State { PENDING, COMPLETED, CANCELLED }

    private State state = State.PENDING;

    /** The data phase the driver announced, in SAM-5 terms. */
    public abstract DataDirection dataDirection();

    /** DATA_LENGTH as the driver announced it: the size of the data buffer the list describes. */
    public abstract int dataLength();

    /** Takes the command away from whoever runs it. False if it already completed or was cancelled. */
    public final synchronized boolean cancel() {
        if (state != State.PENDING) {
            return false;
        }
        state = State.CANCELLED;
        return true;
    }

    /** The runner's claim to report the command. False if it was cancelled meanwhile. Call holding the monitor. */
    public final boolean markCompleted() {
        if (state != State.PENDING) {
            return false;
        }
        state = State.COMPLETED;
        return true;
    }

    /** Call holding the monitor, right before a DMA on behalf of the command. */
    public final void ensurePending() {
        if (state == State.CANCELLED) {
            throw CommandCancelled.INSTANCE;
        }
    }

    public final synchronized boolean isCancelled() {
        return state == State.CANCELLED;
    }

    /** Thrown into the logical unit's data phase once its command was cancelled, to stop it early. */
    public static final class CommandCancelled extends RuntimeException {
        private static final long serialVersionUID = 1L;
        static final CommandCancelled INSTANCE = new CommandCancelled();

        private CommandCancelled() {
            super("command cancelled by ABORT, LUN_RESET or RESET", null, false, false);
        }
    }
}
