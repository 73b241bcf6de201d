package io.vhba.emulator.kernel;

/**
 * Receives kernel rule violations. The Storport verifier implements it; it may throw to
 * unwind the offending routine (a bug check), in which case the kernel does not carry out
 * the offending operation.
 */
@FunctionalInterface
public interface KernelViolationSink {

    void violation(KernelRule rule, String detail);

    /**
     * A violation with its bug check parameters 2-4 and the other threads involved (for
     * example the processor running a DPC the watchdog caught); their stacks go into the bug
     * check. Sinks that only log may keep the short form.
     */
    default void violation(KernelRule rule, long p2, long p3, long p4, String detail, Thread... involved) {
        violation(rule, detail);
    }

    /** A routine (ISR, DPC) threw. The kernel has already restored the processor's IRQL and locks. */
    default void routineFailed(String routine, Throwable failure) {
        org.slf4j.LoggerFactory.getLogger(KernelViolationSink.class).error("{} threw", routine, failure);
    }

    /**
     * A sink that throws {@link IllegalStateException} for a violation and rethrows a routine's failure, so that both
     * reach the caller; for kernels used without a verifier (and tests).
     */
    KernelViolationSink THROWING = new KernelViolationSink() {
        @Override
        public void violation(KernelRule rule, String detail) {
            throw new IllegalStateException(rule + ": " + detail);
        }

        @Override
        public void routineFailed(String routine, Throwable failure) {
            if (failure instanceof RuntimeException r) {
                throw r;
            }
            if (failure instanceof Error e) {
                throw e;
            }
            throw new IllegalStateException(routine + " failed", failure);
        }
    };
}
