package io.vhba.emulator.kernel.sched;

import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * One simulated thread: a real Java thread that runs only while it holds the scheduler's baton. Its id is its
 * registration order, the stable order every strategy works on. Fields other than the permit are touched only by the
 * baton holder.
 */
public final class SimThread {
    final int id;
    final String name;
    Thread thread;
    /** Set by the thread handing the baton over; the holder runs while it is set. */
    volatile boolean permit;
    /** Null: runnable. Otherwise the thread waits until this is true (evaluated by the baton holder). */
    BooleanSupplier waitingFor;
    /** The virtual time at which {@link #waitingFor} may become true by itself (a timer), or {@code Long.MAX_VALUE}. */
    LongSupplier wakeAt;
    boolean finished;
    /** A thread from outside that joined (to boot or close the run), not one the scheduler started. */
    boolean joined;
    /** PCT priority: the highest runnable runs. */
    long priority;
    /** Real time of its last scheduling point, for the stall watchdog. */
    volatile long lastPointRealNanos;

    SimThread(int id, String name) {
        this.id = id;
        this.name = name;
    }

    public int id() {
        return id;
    }

    public String name() {
        return name;
    }

    public Thread thread() {
        return thread;
    }

    boolean runnable() {
        return !finished && (waitingFor == null || waitingFor.getAsBoolean());
    }

    long deadline() {
        return finished || wakeAt == null ? Long.MAX_VALUE : wakeAt.getAsLong();
    }

    @Override
    public String toString() {
        return name + "#" + id;
    }
}
