package io.vhba.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** entrypoint.sh in front of the real jar and the real java, on a loopback portal. */
@Timeout(120) // hang guard for a target that never prints its URL
class EntrypointServeTest {

    /** The exit status of a JVM ended by SIGTERM: 128 + 15; the shutdown hook ran and closed the target. */
    static final int SIGTERM_EXIT = 143;
    static final String DEFAULT_IQN = "iqn.2026-11.io.vhba:disk0";

    @TempDir
    Path tmp;

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** Whether the jar's serve has the management API ({@code --http}); decides what the health check probes. */
    private static Boolean httpApi;

    private static synchronized boolean jarHasHttpApi() {
        if (httpApi == null) {
            Scripts.Finished help = Scripts.run(Map.of(), 60,
                    List.of("java", "-jar", ModuleFiles.builtJar().toString(), "serve", "--help"));
            httpApi = (help.stdout() + help.stderr()).contains("--http");
        }
        return httpApi;
    }

    /**
     * {@code env} plus VHBA_HTTP: a free loopback port for the management API (never the image's fixed 9260 on a
     * shared machine), or {@code off} for a jar without the API.
     */
    private static Map<String, String> withApi(Map<String, String> env) throws IOException {
        Map<String, String> e = new HashMap<>(env);
        e.put("VHBA_HTTP", jarHasHttpApi() ? "127.0.0.1:" + freePort() : "off");
        return e;
    }

    /** A running entry point; its standard output is read line by line, its logs go to a file. */
    private final class Serving implements AutoCloseable {
        final Process process;
        final BufferedReader stdout;
        final Path stderr;

        Serving(Map<String, String> env) throws IOException {
            Map<String, String> e = new HashMap<>(env);
            e.put("VHBA_JAR", ModuleFiles.builtJar().toString());
            e.put("VHBA_LOG_LEVEL", "INFO");
            stderr = Files.createTempFile(tmp, "serve", ".err");
            process = Scripts.builder(e, List.of("/bin/sh", ModuleFiles.entrypoint().toString()))
                    .redirectError(stderr.toFile()).start();
            stdout = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        }

        List<String> urls(int count) throws IOException {
            List<String> l = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                String line = stdout.readLine();
                assertThat(line).as("URL line %d; stderr:%n%s", i, Files.readString(stderr)).isNotNull();
                l.add(line);
            }
            return l;
        }

        int terminate() throws InterruptedException {
            // SIGTERM, as `docker stop` sends. Not Process.destroy(): that also closes our end of stdout.
            process.toHandle().destroy();
            return process.waitFor();
        }

        @Override
        public void close() throws IOException {
            if (process.isAlive()) {
                process.destroyForcibly();
            }
            stdout.close();
        }
    }

    @Test
    void printsTheUrlServesIscsiAndStopsOnSigterm() throws Exception {
        int port = freePort();
        Map<String, String> env = withApi(Map.of("VHBA_LISTEN", "127.0.0.1:" + port));
        try (Serving s = new Serving(env)) {
            assertThat(s.urls(1)).containsExactly("iscsi://127.0.0.1:" + port + "/" + DEFAULT_IQN + "/0");
            if (!env.get("VHBA_HTTP").equals("off")) {
                assertThat(s.stdout.readLine()).as("the management API's URL after the iSCSI URLs")
                        .startsWith("http://" + env.get("VHBA_HTTP"));
            }

            DiscoveryLogin.Answer a = DiscoveryLogin.attempt("127.0.0.1", port);
            assertThat(a).isEqualTo(new DiscoveryLogin.Answer(DiscoveryLogin.LOGIN_RESPONSE, true, 0, 1, 0, 0));

            // The image's health check, against the same environment: GET /health, or the portal without the API.
            Scripts.Finished health = Scripts.run(env, 30, List.of("bash", ModuleFiles.healthcheck().toString()));
            assertThat(health.exitCode()).as("%s", health).isZero();
            if (!env.get("VHBA_HTTP").equals("off")) {
                assertThat(health.stdout()).contains(" 200", "\"UP\"");
            }

            assertThat(s.terminate()).isEqualTo(SIGTERM_EXIT);
            assertThat(s.stdout.readLine()).as("nothing but URLs on stdout").isNull();
            assertThatThrownBy(() -> new Socket("127.0.0.1", port).close()).isInstanceOf(ConnectException.class);
        }
    }

    @Test
    void variablesReachTheCli() throws Exception {
        int port = freePort();
        Path disk = tmp.resolve("data").resolve("disk0.img");
        Files.createDirectories(disk.getParent());
        Map<String, String> env = Map.of("VHBA_LISTEN", "127.0.0.1:" + port, "VHBA_SIZE", "64M",
                "VHBA_BLOCK_SIZE", "4096", "VHBA_IQN", "iqn.2026-11.io.vhba.test:docker", "VHBA_FILE", disk.toString());
        try (Serving s = new Serving(withApi(env))) {
            assertThat(s.urls(1)).containsExactly("iscsi://127.0.0.1:" + port + "/iqn.2026-11.io.vhba.test:docker/0");
            assertThat(disk).as("the --file backing store, grown to --size").hasSize(64L << 20);
            assertThat(s.terminate()).isEqualTo(SIGTERM_EXIT);
        }
    }

    @Test
    void configFileDescribesTheTargetsAndVhbaListenItsPortal() throws Exception {
        int port = freePort();
        Path config = tmp.resolve("targets.yaml");
        Files.writeString(config, """
                listen: ["127.0.0.1:1"]   # replaced by VHBA_LISTEN
                targets:
                  - iqn: iqn.2026-11.io.vhba.test:a
                    luns:
                      - {lun: 0, size: 64M}
                      - {lun: 1, size: 64M, blockSize: 4096}
                """);
        Map<String, String> env = Map.of("VHBA_LISTEN", "127.0.0.1:" + port, "VHBA_CONFIG", config.toString());
        try (Serving s = new Serving(withApi(env))) {
            assertThat(s.urls(2)).containsExactly(
                    "iscsi://127.0.0.1:" + port + "/iqn.2026-11.io.vhba.test:a/0",
                    "iscsi://127.0.0.1:" + port + "/iqn.2026-11.io.vhba.test:a/1");
            assertThat(s.terminate()).isEqualTo(SIGTERM_EXIT);
        }
    }

    @Test
    void anInvalidValueIsRejectedByTheCliWithOneLineAndStatus2() throws Exception {
        Scripts.Finished f = Scripts.run(withApi(Map.of("VHBA_JAR", ModuleFiles.builtJar().toString(),
                        "VHBA_LISTEN", "127.0.0.1:" + freePort(), "VHBA_BLOCK_SIZE", "1000")), 60,
                List.of("/bin/sh", ModuleFiles.entrypoint().toString()));
        assertThat(f.exitCode()).as("%s", f).isEqualTo(2);
        assertThat(f.stdout()).isEmpty();
        assertThat(f.stderr().lines().findFirst()).hasValueSatisfying(line -> assertThat(line)
                .startsWith("vhba: ").contains("--block-size").contains("'1000' is not 512 or 4096"));
    }

    @Test
    void aConfigCombinedWithDiskVariablesIsRejectedByTheCli() throws Exception {
        Path config = tmp.resolve("empty.yaml");
        Files.writeString(config, "{}\n");
        Scripts.Finished f = Scripts.run(withApi(Map.of("VHBA_JAR", ModuleFiles.builtJar().toString(),
                        "VHBA_LISTEN", "127.0.0.1:" + freePort(), "VHBA_CONFIG", config.toString(), "VHBA_SIZE", "1G")), 60,
                List.of("/bin/sh", ModuleFiles.entrypoint().toString()));
        assertThat(f.exitCode()).as("%s", f).isEqualTo(2);
        assertThat(f.stderr().lines().toList()).containsExactly(
                "vhba: error: --config describes the disks: drop --size, --block-size, --iqn, --read-only, --file and --lun");
    }
}
