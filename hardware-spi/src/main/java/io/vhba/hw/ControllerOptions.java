package io.vhba.hw;

import java.util.Objects;

/**
 * How the platform wants a controller model to run (ARCHITECTURE.md, "Threads and speed").
 *
 * @param mode          {@link Mode#INLINE} or {@link Mode#THREADED}
 * @param latencyMicros the simulated command latency of a threaded controller, in microseconds;
 *                      an inline controller has none and ignores it
 * @param slots         how many commands the controller can hold at once (its queue depth)
 */
public record ControllerOptions(Mode mode, long latencyMicros, int slots) {

    /** Where a controller runs the commands the driver hands it. */
    public enum Mode {
        /**
         * The doorbell write posts the command ({@link DeviceContext#post}): it runs on the writing processor at zero
         * simulated latency once that processor has left its spin locks, with no hand-off to another thread: the fast path.
         */
        INLINE,
        /** The controller's own worker thread runs commands after {@code latencyMicros}: realistic asynchrony for driver testing. */
        THREADED
    }

    public ControllerOptions {
        Objects.requireNonNull(mode, "mode");
        if (latencyMicros < 0) {
            throw new IllegalArgumentException("latencyMicros must be >= 0, got " + latencyMicros);
        }
        if (slots < 1) {
            throw new IllegalArgumentException("slots must be >= 1, got " + slots);
        }
    }

    public static ControllerOptions inline(int slots) {
        return new ControllerOptions(Mode.INLINE, 0, slots);
    }

    public static ControllerOptions threaded(long latencyMicros, int slots) {
        return new ControllerOptions(Mode.THREADED, latencyMicros, slots);
    }
}
