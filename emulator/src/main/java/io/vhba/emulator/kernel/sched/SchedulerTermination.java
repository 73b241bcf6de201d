package io.vhba.emulator.kernel.sched;

/**
 * Thrown at a scheduling point of a simulated thread that the scheduler is ending (a run abandoned after a hang or
 * a stall, or a thread still blocked when the simulation closes). It unwinds the thread; the kernel and the engine
 * rethrow it rather than report it as a routine's failure. An {@link Error}, so that code catching
 * {@link RuntimeException} lets it through.
 */
public final class SchedulerTermination extends Error {
    private static final long serialVersionUID = 1L;

    public SchedulerTermination(String thread) {
        super(thread + ": the deterministic scheduler ended this simulated thread", null, false, false);
    }

    /** Rethrows {@code t} if it is a termination; a catch-all calls this first. */
    public static void rethrowIf(Throwable t) {
        if (t instanceof SchedulerTermination s) {
            throw s;
        }
    }
}
