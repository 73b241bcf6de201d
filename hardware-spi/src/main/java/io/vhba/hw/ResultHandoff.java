package io.vhba.hw;

import java.util.function.Consumer;

/**
 * The {@code done} of {@link ScsiLogicalUnit#start} for a controller that finishes most commands on the
 * thread that started them: a result that arrives before {@link #takeOr} is taken there; one that
 * arrives after goes to the consumer {@link #takeOr} left, on the unit's thread.
 */
public final class ResultHandoff implements Consumer<ScsiResult> {
    private ScsiResult early;
    private Consumer<ScsiResult> late;

    @Override
    public void accept(ScsiResult result) {
        Consumer<ScsiResult> l;
        synchronized (this) {
            if (late == null) {
                early = result;
                return;
            }
            l = late;
        }
        l.accept(result);
    }

    /** The result if it is already here; else null, and {@code later} will receive it. */
    public ScsiResult takeOr(Consumer<ScsiResult> later) {
        synchronized (this) {
            if (early == null) {
                late = later;
            }
            return early;
        }
    }
}
