package io.vhba.emulator.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vhba.emulator.config.ConfigException;
import io.vhba.emulator.config.ConfigLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Data-path metrics are on unless {@code serve --no-metrics} or {@code metrics: false} turns them off. */
class MetricsSwitchTest {

    private static boolean metrics(String... args) {
        ServeCommand cmd = new ServeCommand();
        new CommandLine(cmd).parseArgs(args);
        return cmd.toConfig().metrics();
    }

    @Test
    void onByDefaultOffWithTheFlag() {
        assertThat(metrics()).isTrue();
        assertThat(metrics("--no-metrics")).isFalse();
    }

    @Test
    void aConfigFileSaysSoAndTheFlagOverridesIt(@TempDir Path dir) throws Exception {
        Path off = Files.writeString(dir.resolve("off.yaml"), "metrics: false\n");
        Path silent = Files.writeString(dir.resolve("silent.yaml"), "processors: 1\n");
        assertThat(ConfigLoader.load(off).metrics()).isFalse();
        assertThat(metrics("--config", off.toString())).isFalse();
        assertThat(metrics("--config", silent.toString())).isTrue();
        assertThat(metrics("--config", silent.toString(), "--no-metrics")).isFalse();
    }

    @Test
    void aValueThatIsNotABooleanIsOneLineNamingTheSetting(@TempDir Path dir) throws Exception {
        Path bad = Files.writeString(dir.resolve("bad.yaml"), "metrics: sometimes\n");
        assertThatThrownBy(() -> ConfigLoader.load(bad)).isInstanceOf(ConfigException.class)
                .hasMessageContaining(bad.toString()).hasMessageContaining("line 1").message().doesNotContain("\n");
    }
}
