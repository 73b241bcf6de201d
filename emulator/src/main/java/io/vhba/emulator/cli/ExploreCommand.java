package io.vhba.emulator.cli;

import io.vhba.emulator.config.ConfigException;
import io.vhba.emulator.explore.Explorer;
import io.vhba.emulator.explore.Workload;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code explore}: runs a scripted workload in-process, with no network, under many schedules of the deterministic
 * scheduler and stops at the first verifier bug check, data miscompare, protocol failure or hang, printing the seed
 * and the command that runs exactly that schedule again. Exit 0: nothing found; 1: something found; 2: bad usage.
 */
@Command(name = "explore", mixinStandardHelpOptions = true,
        description = "Explore schedules: run a workload under N seeded schedules (seed i = base + i) until a bug check, "
                + "a data miscompare, a protocol failure or a hang; print the seed and the command that replays it.",
        footer = {"", "Workload (--workload, a comma list; absent keys keep their default):",
                "  reads=N writes=N     READ(10)/WRITE(10) commands, in random order (default 100 each)",
                "  aborts=N             commands followed at once by ABORT TASK (default 10)",
                "  resets=N             commands followed by LOGICAL UNIT RESET of their LUN (default 0)",
                "  qd=N                 commands outstanding at most (default 8)",
                "  luns=N blocks=N      LUNs (16M RAM disks, default 1); 512-byte blocks per command (default 8: 4 KiB)",
                "  regions=N            aligned regions per LUN the commands address (default 32; fewer: more overlap)",
                "  faults=KIND:P[+...]  faults that fire with probability P: interrupt-delay, interrupt-drop, dma-delay,",
                "                       dma-fail, busy, queue-full, never-complete (delays are 1 ms)",
                "Every read is checked against the last write that completed; a schedule ends at its first finding.",
                "",
                "Examples:",
                "  java -jar vhba.jar explore --miniport racy --schedules 1000",
                "  java -jar vhba.jar explore --miniport racy --seed 0",
                "  java -jar vhba.jar explore --miniport mailbox --workload reads=500,writes=500,qd=16 --strategy pct --schedules 50",
                "  java -jar vhba.jar explore --miniport racy --free-running --schedules 1000"})
public final class ExploreCommand implements Callable<Integer> {

    @Option(names = "--miniport", paramLabel = "NAME", required = true, description = "The miniport to explore.")
    String miniport;

    @Option(names = "--driver", paramLabel = "PATH", description = "A jar (or a directory of jars) of external "
            + "miniports and controller models, as serve --driver loads them (repeatable).")
    java.util.List<Path> drivers;

    @Option(names = "--workload", paramLabel = "SPEC", description = "What the initiator does: " + Workload.GRAMMAR
            + " (see below). Default: " + "reads=100,writes=100,aborts=10,resets=0,qd=8,luns=1,blocks=8,regions=32.")
    String workload;

    @Option(names = "--schedules", paramLabel = "N", description = "How many schedules to run at most. Default: 1 with "
            + "--seed, else 100.")
    Integer schedules;

    @Option(names = "--seed", paramLabel = "S", description = "The first schedule's seed (alone: run exactly that "
            + "schedule). Default: 0.")
    Long seed;

    @Option(names = "--strategy", paramLabel = "random|pct", description = "Scheduling strategy. Default: random.")
    String strategy = "random";

    @Option(names = "--processors", paramLabel = "N", description = "Simulated processors. Default: 2.")
    int processors = 2;

    @Option(names = "--trace", paramLabel = "FILE", description = "Write the timeline of the last schedule run (the one "
            + "that found something) to FILE.")
    Path trace;

    @Option(names = "--free-running", description = "Instead: run the workload N times against a free-running target "
            + "over loopback TCP (the stress run exploration is compared with).")
    boolean freeRunning;

    private final PrintStream out;

    public ExploreCommand() {
        this(System.out);
    }

    ExploreCommand(PrintStream out) {
        this.out = out;
    }

    @Override
    public Integer call() {
        String strat = strategy.toLowerCase(Locale.ROOT);
        if (!strat.equals("random") && !strat.equals("pct")) {
            throw new ConfigException("--strategy: '" + strategy + "' is not random or pct");
        }
        if (processors < 1 || processors > 64) {
            throw new ConfigException("--processors: " + processors + " is outside 1..64");
        }
        java.util.List<String> driverPaths = drivers == null ? java.util.List.of() : drivers.stream().map(Path::toString).toList();
        try (io.vhba.emulator.runtime.Drivers d = io.vhba.emulator.runtime.Drivers.load(driverPaths)) {
            d.miniport(miniport); // a one-line error for an unknown name or a bad --driver, before any schedule runs
        }
        Workload w = workload == null ? Workload.DEFAULT : Workload.parse(workload);
        int count = schedules != null ? schedules : seed != null ? 1 : 100;
        if (count < 1) {
            throw new ConfigException("--schedules: must be at least 1");
        }
        long base = seed == null ? 0 : seed;
        Explorer.Options o = new Explorer.Options(miniport, w, strat, processors, trace, driverPaths);
        out.printf("%s: miniport %s, workload %s, %s, %d %s from seed %d%n", freeRunning ? "stress" : "explore",
                miniport, w.toSpec(), freeRunning ? "free-running" : strat, count, freeRunning ? "runs" : "schedules", base);
        long start = System.nanoTime();
        int[] ran = {0};
        long[] aborts = {0};
        Explorer.ScheduleResult r = freeRunning
                ? Explorer.stress(o, base, count, x -> {
                    ran[0]++;
                    aborts[0] += x.abortsTookEffect();
                })
                : Explorer.explore(o, base, count, x -> {
                    ran[0]++;
                    aborts[0] += x.abortsTookEffect();
                    if (count > 1 && ran[0] % 50 == 0) {
                        out.printf("  %d schedules, nothing found yet%n", ran[0]);
                        out.flush();
                    }
                });
        long ms = (System.nanoTime() - start) / 1_000_000;
        if (r == null || r.finding() == null) {
            out.printf("nothing found in %d %s (%d ms); %d ABORT TASKs took effect in the target%n", ran[0],
                    freeRunning ? "runs" : "schedules", ms, aborts[0]);
            return 0;
        }
        out.printf("seed %d: %s%n", r.seed(), r.finding());
        out.printf("found after %d %s (%d ms)%s%n", ran[0], freeRunning ? "runs" : "schedules", ms,
                freeRunning ? "" : String.format("; the schedule took %d steps, %.3f ms of virtual time", r.steps(),
                        r.virtualNanos() / 1e6));
        if (!freeRunning) {
            StringBuilder d = new StringBuilder();
            driverPaths.forEach(p -> d.append(" --driver ").append(p));
            out.printf("replay it: java -jar vhba.jar explore --miniport %s%s --workload %s --strategy %s --processors %d "
                    + "--seed %d%n", miniport, d, w.toSpec(), strat, processors, r.seed());
        }
        if (trace != null) {
            out.printf("timeline: %s%n", trace);
        }
        return 1;
    }
}
