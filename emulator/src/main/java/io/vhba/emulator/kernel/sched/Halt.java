package io.vhba.emulator.kernel.sched;

/**
 * Why a deterministic run stopped before its end: the schedule cannot go on, and the threads are abandoned.
 *
 * @param kind   what happened
 * @param step   the step it happened at
 * @param detail one line (with the stuck thread's stack for a stall)
 */
public record Halt(Kind kind, long step, long virtualNanos, String detail) {

    public enum Kind {
        /** No thread can run, no timer is pending, and the run has not ended: every thread waits for another. */
        HANG,
        /** The step or virtual-time budget is spent (a livelock, or a run far longer than expected). */
        BUDGET,
        /** A replay's input came at another step or time than recorded: the replay does not follow the record. */
        DIVERGED,
        /** The baton holder did not reach a scheduling point in time: it blocks in the JVM, out of the scheduler's sight. */
        STALLED
    }

    @Override
    public String toString() {
        return kind.name().toLowerCase(java.util.Locale.ROOT) + " at step " + step + ": " + detail;
    }
}
