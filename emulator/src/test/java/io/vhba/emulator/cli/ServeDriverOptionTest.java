package io.vhba.emulator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.vhba.emulator.config.ConfigException;
import io.vhba.emulator.config.ConfigLoader;
import io.vhba.emulator.config.VhbaConfig;
import io.vhba.emulator.it.DriverJar;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code serve --driver}, {@code --start-timeout} and the YAML {@code drivers:} list. */
class ServeDriverOptionTest {
    @TempDir
    Path dir;

    private record Run(int code, String out, String err) {}

    private static Run main(String... args) {
        PrintStream savedOut = System.out;
        PrintStream savedErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int code = Main.run(args);
            return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(savedOut);
            System.setErr(savedErr);
        }
    }

    private static VhbaConfig config(String... args) {
        ServeCommand cmd = new ServeCommand();
        new CommandLine(cmd).parseArgs(args);
        return cmd.toConfig();
    }

    @Test
    void driverPathsAndTheStartTimeoutReachTheConfiguration() {
        VhbaConfig c = config("--driver", "a.jar", "--driver", "drivers/", "--start-timeout", "3", "--miniport", "example");
        assertThat(c.drivers()).containsExactly("a.jar", "drivers");
        assertThat(c.startTimeoutSeconds()).isEqualTo(3);
        assertThat(c.miniport()).isEqualTo("example");
        assertThat(config().drivers()).isEmpty();
        assertThat(config().startTimeoutSeconds()).isEqualTo(10);
        assertThat(config().dpcWatchdogSeconds()).isEqualTo(5);
    }

    @Test
    void theYamlDriversListComesFirstAndDriverOptionsAreAddedToIt() throws Exception {
        Path yaml = Files.writeString(dir.resolve("t.yaml"), "drivers: [one.jar, /opt/vhba/drivers]\n"
                + "startTimeoutSeconds: 2\ndpcWatchdogSeconds: 1\n");
        VhbaConfig file = ConfigLoader.load(yaml);
        assertThat(file.drivers()).containsExactly("one.jar", "/opt/vhba/drivers");
        assertThat(file.startTimeoutSeconds()).isEqualTo(2);
        assertThat(file.dpcWatchdogSeconds()).isEqualTo(1);
        VhbaConfig both = config("--config", yaml.toString(), "--driver", "two.jar");
        assertThat(both.drivers()).containsExactly("one.jar", "/opt/vhba/drivers", "two.jar");
        assertThat(both.startTimeoutSeconds()).isEqualTo(2);
    }

    @Test
    void badWatchdogValuesAreRefusedByName() throws Exception {
        Path yaml = Files.writeString(dir.resolve("bad.yaml"), "dpcWatchdogSeconds: 0\n");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ConfigLoader.load(yaml))
                .isInstanceOf(ConfigException.class).hasMessageContaining("dpcWatchdogSeconds: 0 is outside 1..3600");
        Run r = main("serve", "--start-timeout", "0");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err().lines().toList()).containsExactly("vhba: error: startTimeoutSeconds: 0 is outside 1..3600");
    }

    @Test
    void helpListsTheMiniportsOfTheDriverPathsGiven() {
        Path jar = DriverJar.misbehaving(dir.resolve("misbehaving.jar"));
        Run r = main("serve", "--driver", jar.toString(), "--help");
        assertThat(r.code()).isZero();
        String flat = r.out().replaceAll("\\s+", ""); // picocli wraps long words at their dots
        assertThat(flat).contains("Theminiportdrivertoload:halfduplex,hang-dpc(misbehaving.jar),")
                .contains(",mailbox,").contains("throw-start-io(misbehaving.jar)");
        Run plain = main("serve", "--help");
        assertThat(plain.out().replaceAll("\\s+", " ")).contains("The miniport driver to load: halfduplex, mailbox, ring, virtual.");
    }

    @Test
    void aBadDriverPathIsOneLineAndExitStatus2() {
        Path missing = dir.resolve("nope.jar");
        Run r = main("serve", "--listen", "127.0.0.1:0", "--driver", missing.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err().lines().toList()).containsExactly("vhba: error: --driver " + missing + ": no such file or directory");
    }

    @Test
    void anUnknownMiniportNamesTheExternalOnesToo() {
        Path jar = DriverJar.misbehaving(dir.resolve("m.jar"));
        Run r = main("serve", "--listen", "127.0.0.1:0", "--driver", jar.toString(), "--miniport", "nvme");
        assertThat(r.code()).isEqualTo(2);
        List<String> lines = r.err().lines().toList();
        assertThat(lines).hasSize(1);
        assertThat(lines.get(0)).startsWith("vhba: error: miniport: 'nvme' is not one of [").contains("hang-dpc (" + jar + ")");
    }
}
