package io.vhba.emulator.fault;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A fault installed on a running emulator: its id (unique for the life of the injector, so a management client can
 * remove exactly this one), its spec, its armed trigger and how often it fired.
 */
public final class ActiveFault {
    private final long id;
    private final FaultSpec spec;
    private final Trigger.Armed trigger;
    private final AtomicLong fired = new AtomicLong();

    ActiveFault(long id, FaultSpec spec) {
        this.id = id;
        this.spec = spec;
        this.trigger = spec.trigger().arm();
    }

    public long id() {
        return id;
    }

    public FaultSpec spec() {
        return spec;
    }

    /** The spec in the {@code --fault} grammar ({@link FaultSpec#toGrammar()}): parsing it installs the same fault. */
    public String specText() {
        return spec.toGrammar();
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
