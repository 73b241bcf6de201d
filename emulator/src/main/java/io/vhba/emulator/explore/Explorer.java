package io.vhba.emulator.explore;

import io.vhba.emulator.config.ControllerConfig;
import io.vhba.emulator.config.DeterministicConfig;
import io.vhba.emulator.config.LunConfig;
import io.vhba.emulator.config.TargetConfig;
import io.vhba.emulator.config.TraceConfig;
import io.vhba.emulator.config.VhbaConfig;
import io.vhba.emulator.fault.FaultSpec;
import io.vhba.emulator.kernel.sched.Halt;
import io.vhba.emulator.kernel.sched.SchedulerTermination;
import io.vhba.emulator.record.RunSummary;
import io.vhba.emulator.runtime.Vhba;
import io.vhba.emulator.verifier.BugCheck;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Runs a workload under many schedules (docs/architecture.md, "Schedule exploration"): schedule i is the seed
 * {@code base + i}, which names both the scheduler's choices and the workload's, so {@code --seed S} runs exactly
 * that schedule again. Stops at the first finding. The stress run is the comparison: the same workload, as many
 * times, against a free-running target over loopback TCP.
 */
public final class Explorer {
    public static final String IQN = "iqn.2026-11.io.vhba:explore";
    /** Virtual time a schedule may take before it counts as a hang. */
    static final long MAX_VIRTUAL_NANOS = TimeUnit.MINUTES.toNanos(10);

    /** What to explore. */
    public record Options(String miniport, Workload workload, String strategy, int processors, Path trace,
                          List<String> drivers) {
        /** Options with the built-in drivers only. */
        public Options(String miniport, Workload workload, String strategy, int processors, Path trace) {
            this(miniport, workload, strategy, processors, trace, List.of());
        }
    }

    /** One schedule's outcome. */
    public record ScheduleResult(long seed, Finding finding, long steps, long virtualNanos, long srbs, long abortsTookEffect) {}

    private Explorer() {}

    /** Runs schedules {@code base .. base + count - 1} until one finds something; {@code progress} sees each. */
    public static ScheduleResult explore(Options o, long base, int count, Consumer<ScheduleResult> progress) {
        ScheduleResult last = null;
        for (int i = 0; i < count; i++) {
            last = runSchedule(o, base + i);
            progress.accept(last);
            if (last.finding() != null) {
                return last;
            }
        }
        return last;
    }

    static VhbaConfig config(Options o, DeterministicConfig det, TraceConfig trace, String listen) {
        List<LunConfig> luns = new ArrayList<>();
        for (int l = 0; l < o.workload().luns(); l++) {
            luns.add(new LunConfig(l, "16M", 512, false, true, false, null));
        }
        return VhbaConfig.builder().listen(List.of(listen)).processors(o.processors()).hostMemory("256M")
                .miniport(o.miniport()).controller(new ControllerConfig(null, null, null)).ioTimeoutSeconds(10)
                .verifier(true).nopInIntervalSeconds(0).targets(List.of(new TargetConfig(IQN, "explore", null, luns)))
                .drivers(o.drivers()).deterministic(det).trace(trace).build();
    }

    /** Exactly the schedule {@code seed} names. */
    public static ScheduleResult runSchedule(Options o, long seed) {
        Workload w = o.workload();
        VhbaConfig cfg = config(o, new DeterministicConfig(seed, o.strategy(), null),
                o.trace() == null ? null : new TraceConfig(o.trace().toString(), null), "127.0.0.1:0");
        Finding[] initiator = new Finding[1];
        long[] aborts = new long[1];
        Vhba v = Vhba.explore(cfg, w.estimatedSteps(), Math.max(2_000_000, w.estimatedSteps() * 50), MAX_VIRTUAL_NANOS,
                (vhba, net) -> {
                    for (FaultSpec f : w.faultSpecs(seed)) {
                        vhba.faults().inject(f);
                    }
                    vhba.engine().verifier().addListener(b -> net.end()); // the first bug check ends the schedule
                    net.scheduler().spawn("initiator", () -> {
                        try (IscsiClient c = new IscsiClient(new SimWire(net))) {
                            WorkloadInitiator wi = new WorkloadInitiator(w, c, seed, IQN);
                            initiator[0] = wi.run();
                            aborts[0] = wi.abortsTookEffect();
                        } catch (SchedulerTermination t) {
                            throw t;
                        } catch (RuntimeException e) {
                            initiator[0] = new Finding(Finding.Kind.PROTOCOL, "the initiator failed: " + e);
                        }
                        net.end();
                    });
                });
        RunSummary s;
        Halt halt;
        try {
            s = v.awaitEnd();
            halt = v.halt();
        } finally {
            v.close();
        }
        Finding f = classify(s, halt, initiator[0]);
        return new ScheduleResult(seed, f, s == null ? halt.step() : s.steps(), s == null ? halt.virtualNanos()
                : s.virtualNanos(), s == null ? 0 : s.srbs(), aborts[0]);
    }

    /** A bug check first (it causes what the initiator sees after it), then a hang, then the initiator's finding. */
    static Finding classify(RunSummary s, Halt halt, Finding initiator) {
        if (s != null && !s.bugChecks().isEmpty()) {
            return new Finding(Finding.Kind.BUG_CHECK, s.bugChecks().get(0));
        }
        if (halt != null) {
            return new Finding(Finding.Kind.HANG, halt.toString());
        }
        return initiator;
    }

    /**
     * The stress run: the workload {@code runs} times (seeds {@code base + i}), each against a fresh free-running target
     * (as each schedule gets a fresh simulated one) over loopback TCP, stopping at the first bug check, miscompare or
     * protocol failure. Returns the run that found something, or the last one.
     */
    public static ScheduleResult stress(Options o, long base, int runs, Consumer<ScheduleResult> progress) {
        Workload w = o.workload();
        ScheduleResult last = null;
        for (int i = 0; i < runs; i++) {
            long seed = base + i;
            try (Vhba v = Vhba.start(config(o, null, o.trace() == null ? null : new TraceConfig(o.trace().toString(), null),
                    "127.0.0.1:0"))) {
                for (FaultSpec f : w.faultSpecs(seed)) {
                    v.faults().inject(f);
                }
                InetSocketAddress at = new InetSocketAddress("127.0.0.1", v.portals().get(0).getPort());
                Finding f;
                long aborts = 0;
                try (IscsiClient c = new IscsiClient(new SocketWire(at, 30_000))) {
                    WorkloadInitiator wi = new WorkloadInitiator(w, c, seed, IQN);
                    f = wi.run();
                    aborts = wi.abortsTookEffect();
                } catch (RuntimeException e) {
                    f = new Finding(Finding.Kind.PROTOCOL, "the initiator failed: " + e.getMessage());
                }
                List<BugCheck> bugs = v.engine().verifier().bugChecks();
                if (!bugs.isEmpty()) {
                    BugCheck b = bugs.get(0);
                    f = new Finding(Finding.Kind.BUG_CHECK, String.format("0x%X/0x%X %s on %s in %s: %s", b.code(),
                            b.parameter1(), b.rule(), b.adapter(), b.routine(), b.detail()));
                }
                last = new ScheduleResult(seed, f, 0, 0, srbs(v), aborts);
            }
            progress.accept(last);
            if (last.finding() != null) {
                return last;
            }
        }
        return last;
    }

    private static long srbs(Vhba v) {
        return v.engine().adapters().stream().mapToLong(a -> a.counters().submitted()).sum();
    }
}
