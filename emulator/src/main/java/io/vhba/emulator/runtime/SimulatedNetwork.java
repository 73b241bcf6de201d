package io.vhba.emulator.runtime;

import io.vhba.emulator.iscsi.sim.ConnectionSink;
import io.vhba.emulator.kernel.sched.DeterministicScheduler;

/**
 * The network of an explored run ({@link Vhba#explore}): an initiator that is itself a simulated thread opens
 * connections and sends bytes, which enter the target exactly as a replay's recorded inputs do; what the target writes
 * goes to the initiator's {@link ConnectionSink}. Every method is for simulated threads.
 */
public final class SimulatedNetwork {
    /** The addresses an explored connection reports (discovery answers name the target's). */
    public static final String TARGET_ADDRESS = "127.0.0.1:3260";

    private final Simulation sim;

    SimulatedNetwork(Simulation sim) {
        this.sim = sim;
    }

    public DeterministicScheduler scheduler() {
        return sim.scheduler;
    }

    /** Opens a connection (processor {@code id mod N}) whose target writes go to {@code sink}; returns its id. */
    public int connect(ConnectionSink sink) {
        int id = sim.connections().nextId();
        sim.connections().open(id, TARGET_ADDRESS, "127.0.0.1:" + (50000 + id), sink);
        return id;
    }

    /** Bytes from the initiator, as one read burst of the target. */
    public void send(int connection, byte[] bytes) {
        sim.connections().data(connection, bytes);
    }

    /** The initiator closes the connection. */
    public void close(int connection) {
        sim.connections().close(connection);
    }

    /**
     * The run is over (the workload finished, or found what it looks for): nothing moves until the explorer takes
     * over at this step ({@link Vhba#awaitEnd()}).
     */
    public void end() {
        sim.scheduler.end();
    }
}
