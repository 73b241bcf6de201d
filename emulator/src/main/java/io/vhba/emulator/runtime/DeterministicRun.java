package io.vhba.emulator.runtime;

import io.vhba.emulator.config.ConfigException;
import io.vhba.emulator.config.VhbaConfig;
import io.vhba.emulator.storport.Adapter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The deterministic-run side of a {@link Vhba} (docs/architecture.md, "Deterministic mode"): building a replay of a
 * record or a closed run for schedule exploration, the run's summary at its end, and the timeline (which a
 * free-running emulator writes too, at its close).
 */
final class DeterministicRun {
    private static final Logger LOG = LoggerFactory.getLogger(Vhba.class); // the log category stays "Vhba"

    private DeterministicRun() {}

    /** See {@link Vhba#replay(Path, io.vhba.emulator.config.TraceConfig)}. */
    static Vhba replay(Path record, io.vhba.emulator.config.TraceConfig trace) {
        io.vhba.emulator.record.RecordReader reader = new io.vhba.emulator.record.RecordReader(record);
        VhbaConfig c = reader.header().config();
        if (c != null) {
            c = c.with(c.deterministic(), trace);
        }
        if (c == null || c.deterministic() == null) {
            reader.close();
            throw new ConfigException("record " + record + ": its header has no deterministic configuration");
        }
        try {
            c.validate();
        } catch (ConfigException e) {
            reader.close();
            throw new ConfigException("record " + record + ": " + e.getMessage());
        }
        return Vhba.boot(c, Simulation.replay(reader));
    }

    /** See {@link Vhba#explore}. */
    static Vhba explore(VhbaConfig config, long pctSteps, long maxSteps, long maxVirtualNanos,
                        java.util.function.BiConsumer<Vhba, SimulatedNetwork> onBoot) {
        if (config.deterministic() == null) {
            throw new IllegalArgumentException("exploration needs a deterministic configuration (the seed)");
        }
        config.validate();
        Simulation s = Simulation.explore(config.deterministic(), pctSteps);
        s.scheduler.setLimits(maxSteps, maxVirtualNanos);
        s.onBoot(v -> onBoot.accept(v, new SimulatedNetwork(s)));
        return Vhba.boot(config, s);
    }

    /** What the timeline's metadata says ran (nothing that differs between a run and its replay). */
    static String describe(Vhba v) {
        return (v.sim == null ? "free-running"
                : "deterministic, seed " + v.sim.scheduler.seed() + ", " + v.sim.scheduler.strategy())
                + ", miniport " + v.config.miniport() + ", " + v.config.processors() + " processors";
    }

    /** Writes the timeline, if one was asked for. */
    static void writeTrace(Vhba v) {
        if (v.kernel != null && v.kernel.trace() != null && v.config.trace() != null) {
            v.kernel.trace().write(Path.of(v.config.trace().file()));
            LOG.info("timeline written to {} ({} events recorded)", v.config.trace().file(), v.kernel.trace().recorded());
        }
    }

    /** The run's summary now, taken by the thread that holds the baton at the end. */
    static io.vhba.emulator.record.RunSummary summarize(Vhba v, long steps, long virtualNanos) {
        long srbs = 0;
        for (Adapter a : v.engine.adapters()) {
            srbs += a.counters().submitted();
        }
        List<String> bugChecks = new ArrayList<>();
        for (io.vhba.emulator.verifier.BugCheck b : v.engine.verifier().bugChecks()) {
            // no parameters 2-4: several are identity hashes, which differ from one JVM to the next
            bugChecks.add(String.format("0x%X/0x%X %s on %s in %s: %s", b.code(), b.parameter1(), b.rule(), b.adapter(),
                    b.routine(), b.detail()));
        }
        return new io.vhba.emulator.record.RunSummary(steps, virtualNanos, srbs, bugChecks, v.media.checksums());
    }
}
