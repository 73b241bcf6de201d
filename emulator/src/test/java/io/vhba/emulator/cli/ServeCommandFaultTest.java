package io.vhba.emulator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.vhba.emulator.fault.FaultKind;
import io.vhba.emulator.fault.LbaRange;
import io.vhba.emulator.fault.Trigger;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class ServeCommandFaultTest {

    /** Runs the CLI with {@code args}; returns the exit code and what it wrote to standard error and output. */
    private record Run(int exitCode, String err, String out) {}

    private static Run run(String... args) {
        PrintStream oldErr = System.err;
        PrintStream oldOut = System.out;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            int code = Main.run(args);
            return new Run(code, err.toString(StandardCharsets.UTF_8), out.toString(StandardCharsets.UTF_8));
        } finally {
            System.setErr(oldErr);
            System.setOut(oldOut);
        }
    }

    @Test
    void repeatedFaultOptionsParseIntoSpecs() {
        ServeCommand serve = new ServeCommand();
        new CommandLine(serve).parseArgs("--fault", "medium-error,lun=0,lba=2048-2055", "--fault", "never-complete,lun=0,count=1");
        assertThat(serve.faultSpecs).extracting(s -> s.kind()).containsExactly(FaultKind.MEDIUM_ERROR, FaultKind.NEVER_COMPLETE);
        assertThat(serve.faultSpecs.get(0).lbas()).isEqualTo(new LbaRange(2048, 2055));
        assertThat(serve.faultSpecs.get(1).trigger()).isEqualTo(new Trigger.Times(1));
    }

    @Test
    void aBadFaultSpecIsOneLineNamingTheProblemAndExitCode2() {
        Run r = run("serve", "--fault", "medium-error,lun=0");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err().lines().toList()).containsExactly(
                "vhba: Invalid value for option '--fault' (KIND,key=value,...): medium-error needs lba=FIRST[-LAST]",
                "vhba: try 'java -jar vhba.jar serve --help'");
    }

    @Test
    void theHelpDocumentsTheFaultGrammar() {
        Run r = run("serve", "--help");
        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).contains("--fault=KIND,key=value,...", "Fault spec: KIND[,adapter=NAME][,lun=N]",
                "medium-error,lba=FIRST[-LAST]", "never-complete", "probability=P,seed=S");
    }
}
