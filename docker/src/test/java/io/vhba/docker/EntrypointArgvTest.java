package io.vhba.docker;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * entrypoint.sh under /bin/sh (dash on Debian: POSIX, no bashisms) with a fake {@code java} first
 * on PATH that prints its arguments one per line, and on standard error its PID and the secrets it
 * finds in its environment.
 */
class EntrypointArgvTest {

    /** The JVM options every container gets, before VHBA_JAVA_OPTS. */
    static final List<String> JVM_DEFAULTS = List.of("-XX:MaxRAMPercentage=75", "-XX:MaxNewSize=256m",
            "-XX:+ExitOnOutOfMemoryError");
    /** What every run starts with: the container JVM options, the jar in the image, the serve command. */
    private static final List<String> JAR = concat(JVM_DEFAULTS, List.of("-jar", ModuleFiles.IMAGE_JAR, "serve"));
    private static final List<String> DEFAULT_LISTEN = List.of("--listen", "0.0.0.0:3260");
    /** Without a token the management API stays on the container's loopback, where the health check reaches it. */
    private static final List<String> LOOPBACK_HTTP = List.of("--http", "127.0.0.1:9260");
    private static final List<String> WILDCARD_HTTP = List.of("--http", "0.0.0.0:9260");
    private static final List<String> SECRETS = List.of("VHBA_HTTP_TOKEN", "VHBA_CHAP_SECRET", "VHBA_MUTUAL_CHAP_SECRET");
    private static final String SECRET = "do-not-put-me-on-argv";

    @TempDir
    static Path fakeBin;

    @BeforeAll
    static void fakeJava() throws IOException {
        Path java = fakeBin.resolve("java");
        StringBuilder env = new StringBuilder();
        for (String s : SECRETS) {
            env.append("[ -n \"${").append(s).append(":-}\" ] && echo \"env ").append(s).append("=$").append(s).append("\" >&2\n");
        }
        Files.writeString(java, """
                #!/bin/sh
                echo "pid=$$" >&2
                %sfor a in "$@"; do printf '%%s\\n' "$a"; done
                """.formatted(env));
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private static Scripts.Finished entrypoint(Map<String, String> env, String... args) {
        Map<String, String> e = new HashMap<>(env);
        e.put("PATH", fakeBin + ":" + System.getenv("PATH"));
        List<String> command = new ArrayList<>(List.of("/bin/sh", ModuleFiles.entrypoint().toString()));
        command.addAll(List.of(args));
        Scripts.Finished f = Scripts.run(e, 30, command);
        assertThat(f.exitCode()).as("%s", f).isZero();
        return f;
    }

    private static List<String> argv(Map<String, String> env, String... args) {
        return entrypoint(env, args).stdoutLines();
    }

    @SafeVarargs
    private static List<String> concat(List<String>... parts) {
        List<String> l = new ArrayList<>();
        for (List<String> p : parts) {
            l.addAll(p);
        }
        return l;
    }

    @Test
    void defaultsListenOnAllInterfacesOfPort3260AndKeepTheApiOnLoopback() {
        assertThat(argv(Map.of())).containsExactly("-XX:MaxRAMPercentage=75", "-XX:MaxNewSize=256m", "-XX:+ExitOnOutOfMemoryError",
                "-jar", "/opt/vhba/vhba.jar", "serve", "--listen", "0.0.0.0:3260", "--http", "127.0.0.1:9260");
    }

    @Test
    void execsJavaInItsOwnProcessSoSigtermReachesTheJvm() {
        Scripts.Finished f = entrypoint(Map.of());
        assertThat(f.stderr().lines()).containsExactly("pid=" + f.pid());
    }

    static Stream<Arguments> singleValueVariables() {
        return Stream.of(
                Arguments.of("VHBA_SIZE", "64G", "--size"),
                Arguments.of("VHBA_BLOCK_SIZE", "4096", "--block-size"),
                Arguments.of("VHBA_IQN", "iqn.2026-11.io.vhba:other", "--iqn"),
                Arguments.of("VHBA_MINIPORT", "mailbox", "--miniport"),
                Arguments.of("VHBA_FILE", "/data/disk0.img", "--file"),
                Arguments.of("VHBA_CONFIG", "/etc/vhba/targets.yaml", "--config"),
                Arguments.of("VHBA_CHAP_USER", "host1", "--chap-user"),
                Arguments.of("VHBA_CHAP_SECRET_FILE", "/run/secrets/chap", "--chap-secret-file"),
                Arguments.of("VHBA_MUTUAL_CHAP_USER", "target1", "--mutual-chap-user"),
                Arguments.of("VHBA_MUTUAL_CHAP_SECRET_FILE", "/run/secrets/mutual", "--mutual-chap-secret-file"));
    }

    @ParameterizedTest(name = "{0} -> {2}")
    @MethodSource("singleValueVariables")
    void eachVariableBecomesItsFlagAfterTheListenFlag(String variable, String value, String flag) {
        assertThat(argv(Map.of(variable, value))).containsExactlyElementsOf(
                concat(JAR, DEFAULT_LISTEN, List.of(flag, value), LOOPBACK_HTTP));
    }

    @ParameterizedTest(name = "{0} empty")
    @MethodSource("singleValueVariables")
    void anEmptyVariableCountsAsUnset(String variable, String value, String flag) {
        assertThat(argv(Map.of(variable, ""))).containsExactlyElementsOf(concat(JAR, DEFAULT_LISTEN, LOOPBACK_HTTP));
    }

    @Test
    void aValueWithBlanksOrGlobCharactersStaysOneArgument() {
        // Not valid, but the CLI gets to say so: the script must not split or expand it.
        assertThat(argv(Map.of("VHBA_IQN", "iqn.x *  y"))).containsExactlyElementsOf(
                concat(JAR, DEFAULT_LISTEN, List.of("--iqn", "iqn.x *  y"), LOOPBACK_HTTP));
    }

    @Test
    void listenTakesSeveralPortalsSeparatedByCommasOrBlanks() {
        assertThat(argv(Map.of("VHBA_LISTEN", "10.0.0.5:3260, [::]:3261 0.0.0.0:3262"))).containsExactlyElementsOf(
                concat(JAR, List.of("--listen", "10.0.0.5:3260", "--listen", "[::]:3261", "--listen", "0.0.0.0:3262"),
                        LOOPBACK_HTTP));
    }

    @Test
    void configFileKeepsTheContainerPortal() {
        // --listen on the command line overrides the file's listen (ServeCommand), so the
        // portal stays the one the image EXPOSEs.
        assertThat(argv(Map.of("VHBA_CONFIG", "/etc/vhba/targets.yaml"))).containsExactlyElementsOf(
                concat(JAR, DEFAULT_LISTEN, List.of("--config", "/etc/vhba/targets.yaml"), LOOPBACK_HTTP));
    }

    @Test
    void allVariablesComeInTableOrder() {
        Map<String, String> env = new HashMap<>(Map.of("VHBA_CONFIG", "/c.yaml", "VHBA_FILE", "/data/d.img",
                "VHBA_MINIPORT", "m", "VHBA_IQN", "iqn.a:b", "VHBA_BLOCK_SIZE", "512", "VHBA_SIZE", "1G",
                "VHBA_LISTEN", "127.0.0.1:3260", "VHBA_HTTP_TOKEN_FILE", "/run/secrets/token", "VHBA_CHAP_USER", "u"));
        env.putAll(Map.of("VHBA_CHAP_SECRET_FILE", "/s", "VHBA_MUTUAL_CHAP_USER", "t", "VHBA_MUTUAL_CHAP_SECRET_FILE", "/ms",
                "VHBA_HTTP", "0.0.0.0:19260"));
        assertThat(argv(env)).containsExactlyElementsOf(concat(JAR, List.of("--listen", "127.0.0.1:3260",
                "--size", "1G", "--block-size", "512", "--iqn", "iqn.a:b", "--miniport", "m", "--file", "/data/d.img",
                "--config", "/c.yaml", "--http-token-file", "/run/secrets/token", "--chap-user", "u",
                "--chap-secret-file", "/s", "--mutual-chap-user", "t", "--mutual-chap-secret-file", "/ms",
                "--http", "0.0.0.0:19260")));
    }

    @Test
    void containerArgumentsComeLastAndUnchanged() {
        assertThat(argv(Map.of("VHBA_SIZE", "2G"), "--read-only", "--latency-us", "a b", "*", ""))
                .containsExactlyElementsOf(concat(JAR, DEFAULT_LISTEN, List.of("--size", "2G"), LOOPBACK_HTTP,
                        List.of("--read-only", "--latency-us", "a b", "*", "")));
    }

    @Test
    void javaOptionsFollowTheContainerDefaultsSplitOnBlanksWithoutGlobbing() {
        // After the defaults, so that a flag given here wins (HotSpot takes the last of a repeated -XX flag).
        assertThat(argv(Map.of("VHBA_JAVA_OPTS", " -Xmx512m\t-XX:MaxRAMPercentage=50  -Dx=* ")))
                .containsExactlyElementsOf(concat(JVM_DEFAULTS, List.of("-Xmx512m", "-XX:MaxRAMPercentage=50", "-Dx=*",
                        "-jar", ModuleFiles.IMAGE_JAR, "serve"), DEFAULT_LISTEN, LOOPBACK_HTTP));
    }

    @Test
    void jarLocationCanBeOverridden() {
        assertThat(argv(Map.of("VHBA_JAR", "/mnt/vhba-next.jar"))).containsExactlyElementsOf(concat(JVM_DEFAULTS,
                List.of("-jar", "/mnt/vhba-next.jar", "serve"), DEFAULT_LISTEN, LOOPBACK_HTTP));
    }

    // ---- the management API and the secrets -------------------------------------------------------

    @Test
    void aTokenInTheEnvironmentOpensTheApiOnAllInterfacesAndStaysOffTheCommandLine() {
        Scripts.Finished f = entrypoint(Map.of("VHBA_HTTP_TOKEN", SECRET));
        assertThat(f.stdoutLines()).containsExactlyElementsOf(concat(JAR, DEFAULT_LISTEN, WILDCARD_HTTP))
                .noneMatch(a -> a.contains(SECRET));
        assertThat(f.stderr().lines()).as("the JVM reads it from its environment").contains("env VHBA_HTTP_TOKEN=" + SECRET);
    }

    @Test
    void aTokenFileOpensTheApiOnAllInterfaces() {
        assertThat(argv(Map.of("VHBA_HTTP_TOKEN_FILE", "/run/secrets/token"))).containsExactlyElementsOf(
                concat(JAR, DEFAULT_LISTEN, List.of("--http-token-file", "/run/secrets/token"), WILDCARD_HTTP));
    }

    @Test
    void vhbaHttpChoosesTheAddressWithOrWithoutAToken() {
        assertThat(argv(Map.of("VHBA_HTTP", "0.0.0.0:8080"))).containsExactlyElementsOf(
                concat(JAR, DEFAULT_LISTEN, List.of("--http", "0.0.0.0:8080")));
        assertThat(argv(Map.of("VHBA_HTTP", "127.0.0.1:8080", "VHBA_HTTP_TOKEN", SECRET))).containsExactlyElementsOf(
                concat(JAR, DEFAULT_LISTEN, List.of("--http", "127.0.0.1:8080")));
    }

    @Test
    void vhbaHttpOffLeavesTheApiOut() {
        assertThat(argv(Map.of("VHBA_HTTP", "off"))).containsExactlyElementsOf(concat(JAR, DEFAULT_LISTEN));
        assertThat(argv(Map.of("VHBA_HTTP", "off", "VHBA_HTTP_TOKEN", SECRET))).containsExactlyElementsOf(concat(JAR, DEFAULT_LISTEN));
    }

    @Test
    void chapSecretsInTheEnvironmentReachTheJvmButNotItsArguments() {
        Scripts.Finished f = entrypoint(Map.of("VHBA_CHAP_USER", "host1", "VHBA_CHAP_SECRET", SECRET + "-1",
                "VHBA_MUTUAL_CHAP_USER", "target1", "VHBA_MUTUAL_CHAP_SECRET", SECRET + "-2"));
        assertThat(f.stdoutLines()).containsExactlyElementsOf(concat(JAR, DEFAULT_LISTEN,
                List.of("--chap-user", "host1", "--mutual-chap-user", "target1"), LOOPBACK_HTTP))
                .noneMatch(a -> a.contains(SECRET));
        assertThat(f.stderr().lines()).contains("env VHBA_CHAP_SECRET=" + SECRET + "-1", "env VHBA_MUTUAL_CHAP_SECRET=" + SECRET + "-2");
    }

    @Test
    void chapSecretFilesBecomeTheirFlags() {
        assertThat(argv(Map.of("VHBA_CHAP_USER", "host1", "VHBA_CHAP_SECRET_FILE", "/run/secrets/chap")))
                .containsExactlyElementsOf(concat(JAR, DEFAULT_LISTEN,
                        List.of("--chap-user", "host1", "--chap-secret-file", "/run/secrets/chap"), LOOPBACK_HTTP));
    }
}
