package io.vhba.emulator.runtime;

import io.vhba.emulator.config.DeterministicConfig;
import io.vhba.emulator.config.VhbaConfig;
import io.vhba.emulator.fault.FaultInjector;
import io.vhba.emulator.iscsi.IscsiServer;
import io.vhba.emulator.iscsi.sim.ConnectionSink;
import io.vhba.emulator.iscsi.sim.LiveNetwork;
import io.vhba.emulator.iscsi.sim.SimConnections;
import io.vhba.emulator.kernel.sched.DeterministicScheduler;
import io.vhba.emulator.kernel.sched.Halt;
import io.vhba.emulator.kernel.sched.ReplayFeed;
import io.vhba.emulator.record.RecordEntry;
import io.vhba.emulator.record.RecordHeader;
import io.vhba.emulator.record.RecordReader;
import io.vhba.emulator.record.RecordWriter;
import io.vhba.emulator.record.RecordedInput;
import io.vhba.emulator.record.RunSummary;
import java.nio.file.Path;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The deterministic side of a running emulator (docs/architecture.md, "Deterministic mode"): its scheduler, where its
 * inputs come from (live sockets, a record, or nothing but the exploration's own initiator), the record it writes, and
 * its end, at which the run's summary is taken. {@link Vhba} holds one when its configuration is deterministic.
 */
final class Simulation {
    /** How long the baton holder may go without a scheduling point before the run counts as stalled. */
    static final long STALL_LIMIT_NANOS = TimeUnit.SECONDS.toNanos(10);

    enum Mode { LIVE, REPLAY, EXPLORE }

    final Mode mode;
    final DeterministicScheduler scheduler;
    private final DeterministicConfig det;
    private final RecordReader reader;
    private final List<String> recordedPortals;
    private volatile boolean recording = true;
    private SimConnections connections;
    private ConnectionSinkFactory sinks = id -> ConnectionSink.DISCARD;
    private Vhba vhba;
    private int randoms;
    private RunSummary recordedSummary;
    private RunSummary summary;

    /** What the target's writes on connection {@code id} go to, when they do not go to a socket. */
    interface ConnectionSinkFactory {
        ConnectionSink sinkFor(int connection);
    }

    private Simulation(Mode mode, DeterministicConfig det, ReplayFeed feed, RecordReader reader,
                       List<String> recordedPortals, long pctSteps) {
        this.mode = mode;
        this.det = det;
        this.reader = reader;
        this.recordedPortals = recordedPortals;
        DeterministicScheduler.Source source = switch (mode) {
            case LIVE -> DeterministicScheduler.Source.LIVE;
            case REPLAY -> DeterministicScheduler.Source.REPLAY;
            case EXPLORE -> DeterministicScheduler.Source.CLOSED;
        };
        this.scheduler = new DeterministicScheduler(det.seed(), source, feed, det.strategy(), pctSteps, STALL_LIMIT_NANOS);
    }

    /** A live run (deterministic serve); the record, if asked for, is opened once the portals are bound. */
    static Simulation live(VhbaConfig config) {
        return new Simulation(Mode.LIVE, config.deterministic(), null, null, null, 1_000_000);
    }

    /** A replay of {@code reader}'s run. */
    static Simulation replay(RecordReader reader) {
        RecordHeader h = reader.header();
        Feed feed = new Feed(reader);
        Simulation s = new Simulation(Mode.REPLAY, h.config().deterministic(), feed, reader, h.portals(), 1_000_000);
        feed.simulation = s;
        return s;
    }

    /** A closed run for exploration: no network, the initiator is a simulated thread. */
    static Simulation explore(DeterministicConfig det, long pctSteps) {
        return new Simulation(Mode.EXPLORE, det, null, null, null, pctSteps);
    }

    // ---- boot ----------------------------------------------------------------------------------

    /**
     * The emulator is up (still on the booting thread, inside the simulation): connections get their home, and a live
     * run binds its portals to the bridge; returns the server, or null without network.
     */
    IscsiServer network(Vhba v, SimConnections connections, List<io.vhba.emulator.config.Portal> portals) {
        this.vhba = v;
        this.connections = connections;
        v.faults().setSequencer(this::sequence);
        if (mode != Mode.LIVE) {
            return null;
        }
        LiveNetwork net = new LiveNetwork(scheduler, connections, this::log);
        IscsiServer server = IscsiServer.bindBridged(portals, net::bridge);
        if (det.record() != null) {
            List<String> bound = server.addresses().stream().map(SimConnections::format).toList();
            recorderOpened(new RecordWriter(Path.of(det.record()), new RecordHeader(RecordHeader.VERSION, det.seed(),
                    det.strategy(), DeterministicScheduler.QUANTUM_NANOS, v.config(), bound)));
        }
        return server;
    }

    private volatile RecordWriter liveRecorder;
    private java.util.function.Consumer<Vhba> onBoot = v -> { };

    /** What runs on the booting thread once the emulator is up, still inside the simulation (the explorer's initiator). */
    void onBoot(java.util.function.Consumer<Vhba> action) {
        this.onBoot = action;
    }

    void booted(Vhba v) {
        onBoot.accept(v);
    }

    private void recorderOpened(RecordWriter w) {
        liveRecorder = w;
    }

    /** The portals a replay's discovery answers must name: the recorded run's. */
    List<String> recordedPortals() {
        return recordedPortals;
    }

    SimConnections connections() {
        return connections;
    }

    /** Where an explored run's connection writes go. */
    void sinks(ConnectionSinkFactory factory) {
        this.sinks = factory;
    }

    ConnectionSink sinkFor(int connection) {
        return sinks.sinkFor(connection);
    }

    /** CHAP challenges: a SHA1PRNG seeded from the run's seed (deterministic), one generator per login. */
    SecureRandom secureRandom() {
        try {
            SecureRandom r = SecureRandom.getInstance("SHA1PRNG");
            r.setSeed(scheduler.derivedSeed(1000 + randoms++));
            return r;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA1PRNG is part of every JDK", e);
        }
    }

    // ---- inputs --------------------------------------------------------------------------------

    /** Records an admitted input (a live run with {@code --record}), until the run's end. */
    void log(RecordEntry e) {
        RecordWriter w = liveRecorder;
        if (w != null && recording) {
            w.write(e);
        }
    }

    /** A fault change from outside the run: admitted at a scheduling point and recorded; from inside, applied at once. */
    private <T> T sequence(String kind, String argument, Supplier<T> change) {
        if (scheduler.isSimulatedThread() || !recording) {
            return change.get();
        }
        CompletableFuture<T> result = new CompletableFuture<>();
        scheduler.offer((step, t) -> {
            log(new RecordEntry(step, t, new RecordedInput.Control(kind, argument)));
            try {
                result.complete(change.get());
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            }
        });
        return result.join();
    }

    /** A replay's inputs, admitted at their recorded steps. */
    private static final class Feed implements ReplayFeed {
        private final RecordReader reader;
        private RecordEntry next;
        Simulation simulation;

        Feed(RecordReader reader) {
            this.reader = reader;
            this.next = reader.next();
        }

        @Override
        public long nextStep() {
            return next == null ? Long.MAX_VALUE : next.step();
        }

        @Override
        public long nextVirtualNanos() {
            return next == null ? Long.MAX_VALUE : next.virtualNanos();
        }

        @Override
        public void admitNext() {
            RecordEntry e = next;
            next = e.input() instanceof RecordedInput.End ? null : reader.next();
            simulation.replayInput(e.input());
        }
    }

    private void replayInput(RecordedInput in) {
        if (in instanceof RecordedInput.Open o) {
            connections.open(o.connection(), o.local(), o.remote(), sinkFor(o.connection()));
        } else if (in instanceof RecordedInput.Data d) {
            connections.data(d.connection(), d.bytes());
        } else if (in instanceof RecordedInput.Close c) {
            connections.close(c.connection());
        } else if (in instanceof RecordedInput.Control c) {
            vhba.faults().replay(c.kind(), c.argument());
        } else if (in instanceof RecordedInput.End x) {
            recordedSummary = x.summary();
            scheduler.end();
        }
    }

    // ---- the end -------------------------------------------------------------------------------

    /**
     * Ends the run on the calling thread, which joins the simulation at the end's step: a live run's end is this
     * call's admission (recorded); a replay's is its recorded END; an exploration's is its workload's end. Then the
     * summary is taken, with nothing else running. Returns null if the run halted instead (nothing to take over).
     */
    RunSummary end() {
        if (summary != null) {
            return summary;
        }
        if (scheduler.halt() != null) {
            return null;
        }
        long[] at = new long[2];
        boolean joined = scheduler.join("close", (step, t) -> {
            at[0] = step;
            at[1] = t;
        });
        if (!joined) {
            return null;
        }
        summary = vhba.summarize(at[0], at[1]);
        recording = false;
        vhba.writeTrace(); // the timeline up to the end: identical for a run and its replays
        RecordWriter w = liveRecorder;
        if (w != null) {
            w.write(new RecordEntry(at[0], at[1], new RecordedInput.End(summary)));
            w.close();
        }
        return summary;
    }

    /** The summary the record's END holds (a replay), or null. */
    RunSummary recordedSummary() {
        return recordedSummary;
    }

    Halt halt() {
        return scheduler.halt();
    }

    /** After close: the closing thread leaves, and whatever simulated thread is left is ended. */
    void finish() {
        if (connections != null && scheduler.isSimulatedThread()) {
            connections.closeAll();
        }
        scheduler.leave();
        scheduler.close();
        if (reader != null) {
            reader.close();
        }
        RecordWriter w = liveRecorder;
        if (w != null && recording) {
            w.close(); // halted before its end: the record has no END and is refused by replay
        }
    }
}
