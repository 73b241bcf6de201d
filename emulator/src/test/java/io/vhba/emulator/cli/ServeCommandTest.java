package io.vhba.emulator.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vhba.emulator.config.ConfigException;
import io.vhba.emulator.config.LunConfig;
import io.vhba.emulator.config.VhbaConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code serve}'s options: what configuration they describe, and one clear line for each bad value. */
class ServeCommandTest {

    private static VhbaConfig config(String... args) {
        ServeCommand cmd = new ServeCommand();
        new CommandLine(cmd).parseArgs(args);
        return cmd.toConfig();
    }

    @Test
    void theEmbeddedDefaultIsOneGibibyteAtLunZeroOnLoopback3260() {
        VhbaConfig c = config();
        assertThat(c.listen()).containsExactly("127.0.0.1:3260");
        assertThat(c.miniport()).isEqualTo("mailbox");
        assertThat(c.targets()).singleElement().satisfies(t -> {
            assertThat(t.iqn()).isEqualTo(VhbaConfig.DEFAULT_IQN);
            assertThat(t.luns()).singleElement().satisfies(l -> {
                assertThat(l.lun()).isZero();
                assertThat(l.sizeBytes("lun")).isEqualTo(1L << 30);
                assertThat(l.blockSize()).isEqualTo(512);
                assertThat(l.readOnly()).isFalse();
            });
        });
    }

    @Test
    void lunOptionsAddLunsBesideTheDefaultDisk() {
        VhbaConfig c = config("--size", "64M", "--block-size", "4096", "--listen", "127.0.0.1:3300", "--listen", "127.0.0.1:3301",
                "--lun", "1,size=32M,read-only", "--lun", "2,size=16M,block-size=512,removable,thick");
        assertThat(c.listen()).containsExactly("127.0.0.1:3300", "127.0.0.1:3301");
        List<LunConfig> luns = c.targets().get(0).luns();
        assertThat(luns).extracting(LunConfig::lun).containsExactly(0, 1, 2);
        assertThat(luns.get(0).sizeBytes("0")).isEqualTo(64L << 20);
        assertThat(luns.get(0).blockSize()).isEqualTo(4096);
        assertThat(luns.get(1).readOnly()).isTrue();
        assertThat(luns.get(1).sizeBytes("1")).isEqualTo(32L << 20);
        assertThat(luns.get(2).removable()).isTrue();
        assertThat(luns.get(2).thin()).isFalse();
        assertThat(luns.get(2).readOnly()).isFalse();
        assertThat(luns.get(1).overwriteRateBytes("1")).as("default SANITIZE OVERWRITE pace").isEqualTo(128L << 20);
        assertThat(config("--lun", "1,overwrite-rate=32M").targets().get(0).luns().get(1).overwriteRateBytes("1"))
                .isEqualTo(32L << 20);
        assertThat(config("--lun", "1,overwrite-rate=0").targets().get(0).luns().get(1).overwriteRateBytes("1"))
                .as("0: unpaced").isZero();
    }

    @Test
    void lunZeroReplacesTheDefaultDisk() {
        List<LunConfig> luns = config("--lun", "0,size=8M,removable").targets().get(0).luns();
        assertThat(luns).singleElement().satisfies(l -> {
            assertThat(l.sizeBytes("0")).isEqualTo(8L << 20);
            assertThat(l.removable()).isTrue();
        });
    }

    @Test
    void lunZeroAndSizeTogetherAreRefused() {
        assertThatThrownBy(() -> config("--size", "8M", "--lun", "0,size=8M"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("--lun 0 describes LUN 0");
    }

    @Test
    void helpListsTheMiniportsTheServiceLoaderFinds() {
        String help = new CommandLine(new ServeCommand()).getUsageMessage();
        assertThat(help).containsPattern("--miniport=NAME\\s+The miniport driver to load: halfduplex, mailbox,\\s+ring,\\s+virtual\\.");
    }

    @Test
    void aLunGivenTwiceIsRefused() {
        assertThatThrownBy(() -> config("--lun", "1,size=8M", "--lun", "1,size=16M"))
                .isInstanceOf(ConfigException.class).hasMessage("--lun 1 is given twice");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "--size|12Q|--size",
            "--block-size|1000|'1000' is not 512 or 4096",
            "--listen|nohost|nohost",
            "--lun|x|'x' is not a LUN number",
            "--lun|1,bogus|unknown key 'bogus'",
            "--lun|1,size|'size' needs a value",
            "--lun|1,read-only=yes|'read-only' takes no value",
            "--lun|1,size=8M,size=9M|'size' is given twice",
            "--lun|1,block-size=1024|block-size '1024' is not 512 or 4096",
            "--lun|1,size=1000|not a multiple of the 512-byte block size",
            "--lun|300,size=8M|outside 0..255",
            "--lun|1,overwrite-rate=fast|'fast' is not a size"})
    void aBadValueGetsOneLineNamingTheProblemAndExitCode2(String option, String value, String expected) {
        PrintStream saved = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code;
        try {
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            code = Main.run("serve", option, value);
        } finally {
            System.setErr(saved);
        }
        String text = err.toString(StandardCharsets.UTF_8);
        assertThat(code).as(text).isEqualTo(2);
        List<String> lines = text.lines().toList();
        assertThat(lines.get(0)).startsWith("vhba: ").contains(expected);
        assertThat(lines).as("the problem, then at most a pointer to --help").hasSizeLessThanOrEqualTo(2);
    }
}
