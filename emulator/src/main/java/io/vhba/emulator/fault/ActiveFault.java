package io.vhba.emulator.fault;

import java.util.concurrent.atomic.AtomicLong;

/** A fault installed on a running emulator: its spec, its armed trigger and how often it fired. */
public final class ActiveFault {
    private final FaultSpec spec;
    private final Trigger.Armed trigger;
    private final AtomicLong fired = new AtomicLong();

    ActiveFault(FaultSpec spec) {
        this.spec = spec;
        this.trigger = spec.trigger().arm();
    }

    public FaultSpec spec() {
        return spec;
    }

    /** How many times it fired so far. */
    public long fired() {
        return fired.get();
    }

    /** True once its trigger can fire no more. */
    public boolean exhausted() {
        return trigger.exhausted();
    }

    /** Counts an opportunity; true (and counted as fired) if the fault fires on it. */
    boolean fire() {
        if (!trigger.fire()) {
            return false;
        }
        fired.incrementAndGet();
        return true;
    }

    @Override
    public String toString() {
        return spec + " (fired " + fired() + ")";
    }
}
