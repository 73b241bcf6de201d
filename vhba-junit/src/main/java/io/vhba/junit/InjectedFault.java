package io.vhba.junit;

import io.vhba.emulator.fault.ActiveFault;
import io.vhba.emulator.fault.FaultInjector;

/**
 * A fault a test installed through {@link VhbaHandle#fault}; {@link #remove()} (or {@code close()}, for
 * try-with-resources) takes it out again. One installed during a test is removed when the test ends.
 */
public final class InjectedFault implements AutoCloseable {
    private final FaultInjector injector;
    private final ActiveFault fault;

    InjectedFault(FaultInjector injector, ActiveFault fault) {
        this.injector = injector;
        this.fault = fault;
    }

    /** The spec as installed, in the {@code --fault} grammar. */
    public String spec() {
        return fault.spec().toString();
    }

    /** How many times it fired so far. */
    public long fired() {
        return fault.fired();
    }

    /** Removes the fault; false if it was already gone (removed, or cleared with the others). */
    public boolean remove() {
        return injector.remove(fault);
    }

    @Override
    public void close() {
        remove();
    }

    /** The emulator's own record of the fault. */
    public ActiveFault activeFault() {
        return fault;
    }

    @Override
    public String toString() {
        return fault.toString();
    }
}
