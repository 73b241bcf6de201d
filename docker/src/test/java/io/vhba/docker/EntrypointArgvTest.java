package io.vhba.docker;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
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
 * on PATH that prints its arguments one per line and its PID on standard error.
 */
class EntrypointArgvTest {

    /** What every run starts with: the jar in the image, the serve command. */
    private static final List<String> JAR = List.of("-jar", ModuleFiles.IMAGE_JAR, "serve");
    private static final List<String> DEFAULT_LISTEN = List.of("--listen", "0.0.0.0:3260");

    @TempDir
    static Path fakeBin;

    @BeforeAll
    static void fakeJava() throws IOException {
        Path java = fakeBin.resolve("java");
        Files.writeString(java, """
                #!/bin/sh
                echo "pid=$$" >&2
                for a in "$@"; do printf '%s\\n' "$a"; done
                """);
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private static Scripts.Finished entrypoint(Map<String, String> env, String... args) {
        Map<String, String> e = new java.util.HashMap<>(env);
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

    private static List<String> concat(List<String> first, List<String> second) {
        List<String> l = new ArrayList<>(first);
        l.addAll(second);
        return l;
    }

    @Test
    void defaultsListenOnAllInterfacesOfPort3260() {
        assertThat(argv(Map.of())).containsExactly("-jar", "/opt/vhba/vhba.jar", "serve", "--listen", "0.0.0.0:3260");
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
                Arguments.of("VHBA_CONFIG", "/etc/vhba/targets.yaml", "--config"));
    }

    @ParameterizedTest(name = "{0} -> {2}")
    @MethodSource("singleValueVariables")
    void eachVariableBecomesItsFlagAfterTheListenFlag(String variable, String value, String flag) {
        assertThat(argv(Map.of(variable, value))).containsExactlyElementsOf(
                concat(concat(JAR, DEFAULT_LISTEN), List.of(flag, value)));
    }

    @ParameterizedTest(name = "{0} empty")
    @MethodSource("singleValueVariables")
    void anEmptyVariableCountsAsUnset(String variable, String value, String flag) {
        assertThat(argv(Map.of(variable, ""))).containsExactlyElementsOf(concat(JAR, DEFAULT_LISTEN));
    }

    @Test
    void aValueWithBlanksOrGlobCharactersStaysOneArgument() {
        // Not valid, but the CLI gets to say so: the script must not split or expand it.
        assertThat(argv(Map.of("VHBA_IQN", "iqn.x *  y"))).containsExactlyElementsOf(
                concat(concat(JAR, DEFAULT_LISTEN), List.of("--iqn", "iqn.x *  y")));
    }

    @Test
    void listenTakesSeveralPortalsSeparatedByCommasOrBlanks() {
        assertThat(argv(Map.of("VHBA_LISTEN", "10.0.0.5:3260, [::]:3261 0.0.0.0:3262"))).containsExactlyElementsOf(
                concat(JAR, List.of("--listen", "10.0.0.5:3260", "--listen", "[::]:3261", "--listen", "0.0.0.0:3262")));
    }

    @Test
    void configFileKeepsTheContainerPortal() {
        // --listen on the command line overrides the file's listen (ServeCommand), so the
        // portal stays the one the image EXPOSEs and the health check probes.
        assertThat(argv(Map.of("VHBA_CONFIG", "/etc/vhba/targets.yaml"))).containsExactly(
                "-jar", "/opt/vhba/vhba.jar", "serve", "--listen", "0.0.0.0:3260", "--config", "/etc/vhba/targets.yaml");
    }

    @Test
    void allVariablesComeInTableOrder() {
        Map<String, String> env = Map.of("VHBA_CONFIG", "/c.yaml", "VHBA_FILE", "/data/d.img", "VHBA_MINIPORT", "m",
                "VHBA_IQN", "iqn.a:b", "VHBA_BLOCK_SIZE", "512", "VHBA_SIZE", "1G", "VHBA_LISTEN", "127.0.0.1:3260");
        assertThat(argv(env)).containsExactly("-jar", "/opt/vhba/vhba.jar", "serve", "--listen", "127.0.0.1:3260",
                "--size", "1G", "--block-size", "512", "--iqn", "iqn.a:b", "--miniport", "m", "--file", "/data/d.img",
                "--config", "/c.yaml");
    }

    @Test
    void containerArgumentsComeLastAndUnchanged() {
        assertThat(argv(Map.of("VHBA_SIZE", "2G"), "--read-only", "--latency-us", "a b", "*", ""))
                .containsExactlyElementsOf(concat(concat(JAR, DEFAULT_LISTEN),
                        List.of("--size", "2G", "--read-only", "--latency-us", "a b", "*", "")));
    }

    @Test
    void javaOptionsGoBeforeTheJarSplitOnBlanksWithoutGlobbing() {
        assertThat(argv(Map.of("VHBA_JAVA_OPTS", " -Xmx512m\t-XX:+UseSerialGC  -Dx=* ")))
                .containsExactlyElementsOf(concat(List.of("-Xmx512m", "-XX:+UseSerialGC", "-Dx=*"),
                        concat(JAR, DEFAULT_LISTEN)));
    }

    @Test
    void jarLocationCanBeOverridden() {
        assertThat(argv(Map.of("VHBA_JAR", "/mnt/vhba-next.jar"))).containsExactly(
                "-jar", "/mnt/vhba-next.jar", "serve", "--listen", "0.0.0.0:3260");
    }
}
