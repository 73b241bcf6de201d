package io.vhba.emulator.cli;

import io.vhba.emulator.config.ConfigException;
import io.vhba.emulator.config.TraceConfig;
import io.vhba.emulator.record.RunSummary;
import io.vhba.emulator.runtime.Vhba;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code replay}: rebuilds the target a {@code serve --deterministic --record} run recorded, with no network, feeds it
 * the recorded inputs at their steps and prints what the run came to. Exit 0 when the replay ends exactly as the
 * record's END says, 1 when it does not (or halts), 2 for bad usage or an unreadable record.
 */
@Command(name = "replay", mixinStandardHelpOptions = true,
        description = "Replay a recorded deterministic run offline (no initiator, no network) and print its summary: "
                + "steps, virtual time, SRBs, bug checks and every LUN's medium CRC32C.",
        footer = {"", "Examples:",
                "  java -jar vhba.jar serve --deterministic --seed 7 --record r.vhbarec --trace a.json",
                "  java -jar vhba.jar replay r.vhbarec --trace b.json --dump-lun 0:lun0.img"})
public final class ReplayCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "FILE", description = "The .vhbarec to replay.")
    Path record;

    @Option(names = "--trace", paramLabel = "FILE", description = "Write the replay's timeline (byte-identical to the "
            + "recorded run's with the same --trace-events).")
    Path trace;

    @Option(names = "--trace-events", paramLabel = "N", description = "How many of the last events the timeline keeps. "
            + "Default: " + TraceConfig.DEFAULT_EVENTS + ".")
    Integer traceEvents;

    @Option(names = "--dump-lun", paramLabel = "LUN:PATH", description = "Write a LUN's medium as the replay leaves it to "
            + "PATH (repeatable); LUN is a number of the first target, or IQN/LUN.")
    List<String> dumps;

    private final PrintStream out;

    public ReplayCommand() {
        this(System.out);
    }

    ReplayCommand(PrintStream out) {
        this.out = out;
    }

    @Override
    public Integer call() {
        if (traceEvents != null && trace == null) {
            throw new ConfigException("--trace-events needs --trace");
        }
        List<String[]> lunDumps = dumps == null ? List.of() : dumps.stream().map(ReplayCommand::lunDump).toList();
        TraceConfig tc = trace == null ? null : new TraceConfig(trace.toString(), traceEvents);
        try (Vhba v = Vhba.replay(record, tc)) {
            RunSummary s = v.awaitEnd();
            if (s == null) {
                out.println("replay halted: " + v.halt());
                return 1;
            }
            for (String[] d : lunDumps) {
                v.writeMedium(d[0], Path.of(d[1]));
            }
            s.lines().forEach(out::println);
            RunSummary recorded = v.recordedSummary();
            if (!s.equals(recorded)) {
                out.println("replay differs from the record's end:");
                recorded.lines().forEach(l -> out.println("  recorded " + l));
                return 1;
            }
            out.println("replay matches the record");
            return 0;
        }
    }

    private static String[] lunDump(String spec) {
        int colon = spec.lastIndexOf(':');
        if (colon <= 0 || colon == spec.length() - 1) {
            throw new ConfigException("--dump-lun: '" + spec + "' is not LUN:PATH");
        }
        return new String[] {spec.substring(0, colon), spec.substring(colon + 1)};
    }
}
