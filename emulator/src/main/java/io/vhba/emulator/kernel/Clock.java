package io.vhba.emulator.kernel;

/**
 * The kernel's time source. Free-running: {@link System#nanoTime()} since boot. Deterministic mode: the scheduler's
 * virtual time ({@link io.vhba.emulator.kernel.sched.DeterministicScheduler}). Every time read of the emulator goes
 * through the kernel's clock, so that a replay sees the times the recorded run saw.
 */
public interface Clock {

    /** Nanoseconds since boot. */
    long nanoTime();

    /**
     * The caller is busy for {@code nanos} without giving up its processor (KeStallExecutionProcessor, a DMA that
     * takes long): a busy wait in real time, a jump of the virtual clock with no scheduling point in deterministic
     * mode (the caller may hold a device model's monitor, where yielding is not allowed).
     */
    void busy(long nanos);

    /** Real time. */
    static Clock system() {
        long boot = System.nanoTime();
        return new Clock() {
            @Override
            public long nanoTime() {
                return System.nanoTime() - boot;
            }

            @Override
            public void busy(long nanos) {
                long end = System.nanoTime() + nanos;
                while (System.nanoTime() < end) {
                    Thread.onSpinWait();
                }
            }
        };
    }
}
