package io.vhba.emulator.kernel.sched;

/**
 * Thrown to a thread that joined the simulation (booting or closing it) when the run halts at one of its scheduling
 * points: it is outside the simulation again, and the run is over ({@link DeterministicScheduler#halt()}).
 */
public final class RunHaltedException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient Halt halt;

    public RunHaltedException(Halt halt) {
        super("deterministic run halted: " + halt);
        this.halt = halt;
    }

    public Halt halt() {
        return halt;
    }
}
