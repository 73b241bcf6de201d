package io.vhba.emulator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** serve's deterministic and timeline options, replay and explore: a bad value gets one line and exit 2. */
class DeterministicOptionsTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "serve --seed 3|--seed, --strategy and --record need --deterministic",
            "serve --deterministic --strategy fifo|'fifo' is not random or pct",
            "serve --deterministic --file /tmp/x.img|only RAM disks can be replayed",
            "serve --trace-events 5000|--trace-events needs --trace",
            "serve --trace /tmp/t.json --trace-events 10|trace.events: 10 is outside",
            "replay /nonexistent.vhbarec|no such file",
            "explore --miniport nosuch|miniport: 'nosuch' is not one of",
            "explore --miniport racy --workload reads=x|reads 'x' is not a whole number",
            "explore --miniport racy --workload faults=medium-error:0.1|fault 'medium-error' is not one of",
            "explore --miniport racy --strategy dfs|'dfs' is not random or pct"})
    void aBadValueGetsOneLineNamingTheProblemAndExitCode2(String args, String expected) {
        PrintStream saved = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code;
        try {
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            code = Main.run(args.split(" "));
        } finally {
            System.setErr(saved);
        }
        String text = err.toString(StandardCharsets.UTF_8);
        assertThat(code).as(text).isEqualTo(2);
        List<String> lines = text.lines().filter(l -> l.startsWith("vhba: ")).toList();
        assertThat(lines).isNotEmpty();
        assertThat(lines.get(0)).contains(expected);
    }
}
