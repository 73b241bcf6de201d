package io.vhba.emulator.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vhba.emulator.config.AclEntryConfig;
import io.vhba.emulator.config.ChapConfig;
import io.vhba.emulator.config.ConfigException;
import io.vhba.emulator.config.TargetConfig;
import io.vhba.emulator.config.VhbaConfig;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** serve's --allow, CHAP and limit options; secrets come from files or the environment, never argv. */
class ServeCommandSecurityTest {
    private static final String SECRET = "a-long-secret-1";
    private static final String TARGET_SECRET = "target-secret-99";

    @TempDir
    Path dir;

    private final Map<String, String> env = new HashMap<>();

    private VhbaConfig config(String... args) {
        ServeCommand cmd = new ServeCommand();
        new CommandLine(cmd).parseArgs(args);
        cmd.security.env = env::get;
        return cmd.toConfig();
    }

    private Path file(String name, String content) throws IOException {
        Path f = dir.resolve(name);
        Files.writeString(f, content);
        return f;
    }

    @Test
    void allowAddsTheInitiatorsToTheCommandLinesTarget() {
        TargetConfig t = config("--allow", "iqn.2026-12.test:good", "--allow", "iqn.2026-12.lab:*").targets().get(0);
        assertThat(t.acl()).containsExactly(AclEntryConfig.of("iqn.2026-12.test:good"), AclEntryConfig.of("iqn.2026-12.lab:*"));
        assertThat(config().targets().get(0).acl()).as("no --allow: open").isEmpty();
        assertThatThrownBy(() -> config("--allow", "host1")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("targets[0].acl[0].initiator: 'host1' is not an iSCSI name");
    }

    @Test
    void chapSecretsComeFromAFileOrTheEnvironment() throws IOException {
        Path s = file("secret", SECRET + "\n");
        ChapConfig fromFile = config("--chap-user", "host1", "--chap-secret-file", s.toString()).targets().get(0).chap();
        assertThat(fromFile).isEqualTo(new ChapConfig("host1", SECRET, null, null));
        env.put(SecurityOptions.CHAP_SECRET_ENV, SECRET);
        env.put(SecurityOptions.MUTUAL_CHAP_SECRET_ENV, TARGET_SECRET);
        ChapConfig mutual = config("--chap-user", "host1", "--mutual-chap-user", "vhba").targets().get(0).chap();
        assertThat(mutual).isEqualTo(new ChapConfig("host1", SECRET, "vhba", TARGET_SECRET));
    }

    @Test
    void theDiscoveryChapFileSetsDiscoveryAuthentication() throws IOException {
        Path f = file("disco", "disco:" + SECRET + "\nvhba:" + TARGET_SECRET + "\n");
        VhbaConfig c = config("--discovery-chap-file", f.toString());
        assertThat(c.discoveryChap()).isEqualTo(new ChapConfig("disco", SECRET, "vhba", TARGET_SECRET));
        assertThat(c.targets().get(0).chap()).as("discovery CHAP is not the target's").isNull();
    }

    @Test
    void limitFlagsSetTheirLimitsAndLeaveTheOthersAtTheirDefaults() {
        VhbaConfig c = config("--max-sessions", "9", "--max-sessions-per-target", "3", "--max-logins-in-progress", "7",
                "--login-timeout", "4", "--session-memory", "16M");
        assertThat(c.limits().portalLimits().maxSessions()).isEqualTo(9);
        assertThat(c.limits().portalLimits().maxSessionsPerTarget()).isEqualTo(3);
        assertThat(c.limits().portalLimits().maxLoginsInProgress()).isEqualTo(7);
        assertThat(c.limits().loginTimeoutMillis()).isEqualTo(4000);
        assertThat(c.limits().sessionHostMemoryBytes()).isEqualTo(16L << 20);
        assertThat(c.limits().portalLimits().maxLoginsInProgressPerPortal()).isEqualTo(64);
    }

    @Test
    void aConfigFileKeepsItsLimitsAndDiscoveryChapUnlessAFlagOverridesThem() throws IOException {
        Path yaml = file("v.yaml", "discoveryChap: {user: disco, secret: " + SECRET + "}\nlimits: {maxSessions: 5, loginTimeoutSeconds: 9}\n");
        VhbaConfig c = config("--config", yaml.toString(), "--login-timeout", "3");
        assertThat(c.discoveryChap().user()).isEqualTo("disco");
        assertThat(c.limits().maxSessions()).isEqualTo(5);
        assertThat(c.limits().loginTimeoutSeconds()).isEqualTo(3);
        assertThatThrownBy(() -> config("--config", yaml.toString(), "--allow", "iqn.2026-12.test:good"))
                .hasMessageStartingWith("--config describes the targets");
    }

    @Test
    void aSecretInTheEnvironmentThatNothingUsesIsRefused() {
        env.put(SecurityOptions.CHAP_SECRET_ENV, SECRET);
        assertThatThrownBy(() -> config()).hasMessage("VHBA_CHAP_SECRET is set but --chap-user is not given; the secret would go unused");
        env.put(SecurityOptions.CHAP_SECRET_ENV, "");
        assertThat(config().targets().get(0).chap()).as("an empty variable counts as unset").isNull();
    }

    @Test
    void badCombinationsAreRefusedWithOneLine() throws IOException {
        Path s = file("secret", SECRET);
        assertThatThrownBy(() -> config("--chap-user", "host1")).hasMessage(
                "--chap-user needs --chap-secret-file FILE or the environment variable VHBA_CHAP_SECRET");
        assertThatThrownBy(() -> config("--chap-secret-file", s.toString())).hasMessageContaining("need --chap-user");
        env.put(SecurityOptions.CHAP_SECRET_ENV, SECRET);
        assertThatThrownBy(() -> config("--chap-user", "host1", "--chap-secret-file", s.toString()))
                .hasMessage("give the secret once: --chap-secret-file or VHBA_CHAP_SECRET, not both");
        env.put(SecurityOptions.MUTUAL_CHAP_SECRET_ENV, SECRET);
        assertThatThrownBy(() -> config("--chap-user", "host1", "--mutual-chap-user", "vhba"))
                .hasMessageContaining("the mutual secret must differ");
        env.put(SecurityOptions.CHAP_SECRET_ENV, "short");
        env.remove(SecurityOptions.MUTUAL_CHAP_SECRET_ENV);
        assertThatThrownBy(() -> config("--chap-user", "host1"))
                .hasMessage("VHBA_CHAP_SECRET: the CHAP secret has 5 bytes; at least 12 are required (RFC 7143 §12.1.3: 96 bits without IPsec)");
    }

    /**
     * Through the real entry point: exit status 2 and one line naming the problem on standard error (a bad option
     * value adds picocli's pointer to --help), which never holds the secret.
     */
    private static String runExpectingExit2(String... args) {
        PrintStream saved = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code;
        try {
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            code = Main.run(args);
        } finally {
            System.setErr(saved);
        }
        String text = err.toString(StandardCharsets.UTF_8);
        assertThat(code).as(text).isEqualTo(2);
        List<String> lines = text.lines().toList();
        assertThat(lines).hasSizeBetween(1, 2);
        assertThat(lines.subList(1, lines.size())).allMatch(l -> l.startsWith("vhba: try "));
        return lines.get(0);
    }

    @Test
    void aMissingOrShortSecretFileExitsWithStatus2AndOneLine() throws IOException {
        assertThat(runExpectingExit2("serve", "--chap-user", "host1", "--chap-secret-file", dir.resolve("none").toString()))
                .startsWith("vhba: error: --chap-secret-file: " + dir.resolve("none") + ": no such file");
        Path shortSecret = file("short", "tiny-secret");
        assertThat(runExpectingExit2("serve", "--chap-user", "host1", "--chap-secret-file", shortSecret.toString()))
                .contains("the CHAP secret has 11 bytes").doesNotContain("tiny-secret");
        assertThat(runExpectingExit2("serve", "--discovery-chap-file", dir.resolve("none").toString()))
                .contains("--discovery-chap-file: " + dir.resolve("none") + ": no such file");
        assertThat(runExpectingExit2("serve", "--max-sessions", "0")).contains("limits.maxSessions: 0 is outside 1..65535");
        assertThat(runExpectingExit2("serve", "--session-memory", "much")).contains("'much' is not a size");
    }

    @Test
    void noOptionTakesASecretOnTheCommandLine() {
        List<String> names = new CommandLine(new ServeCommand()).getCommandSpec().options().stream()
                .flatMap(o -> List.of(o.names()).stream()).toList();
        assertThat(names).noneMatch(n -> n.contains("secret") && !n.endsWith("-file"));
        assertThat(names).contains("--allow", "--chap-user", "--chap-secret-file", "--mutual-chap-user",
                "--mutual-chap-secret-file", "--discovery-chap-file");
    }
}
