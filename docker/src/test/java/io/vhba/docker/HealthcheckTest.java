package io.vhba.docker;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * healthcheck.sh (bash, as in the image) against a stub of the management API's /health, and, with
 * VHBA_HTTP=off, against a loopback listener standing in for the portal.
 */
class HealthcheckTest {
    private static final String TOKEN = "s3cr3t-t0ken-for-the-api";
    private static final String DOWN = "{\"status\":\"DOWN\",\"reason\":\"mailbox0: BugCheck 0xF1 (0x2004) DOUBLE_COMPLETION\"}";

    @TempDir
    Path tmp;

    private static Scripts.Finished probe(Map<String, String> env) {
        return Scripts.run(env, 30, List.of("bash", ModuleFiles.healthcheck().toString()));
    }

    private static int status(Map<String, String> env) {
        Scripts.Finished f = probe(env);
        assertThat(f.stderr()).as("%s", f).isEmpty();
        return f.exitCode();
    }

    private static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Test
    void upIsHealthyAndTheBodyGoesToTheHealthLog() throws IOException {
        try (HealthStub api = HealthStub.loopback(null)) {
            Scripts.Finished f = probe(Map.of("VHBA_HTTP", "127.0.0.1:" + api.port()));
            assertThat(f.exitCode()).as("%s", f).isZero();
            assertThat(f.stdout()).contains("HTTP/1.1 200", "{\"status\":\"UP\"}");
            assertThat(api.requests).containsExactly(new HealthStub.Request("GET", "/health", null));
        }
    }

    @Test
    void aStoppedAdapterMakesHealth503AndTheContainerUnhealthyWithTheReason() throws IOException {
        try (HealthStub api = HealthStub.loopback(null).answering(503, DOWN)) {
            Scripts.Finished f = probe(Map.of("VHBA_HTTP", "127.0.0.1:" + api.port()));
            assertThat(f.exitCode()).as("%s", f).isEqualTo(1);
            assertThat(f.stdout()).contains("HTTP/1.1 503", DOWN);
        }
    }

    @Test
    void anyOtherStatusIsUnhealthyToo() throws IOException {
        for (int code : new int[] {204, 301, 404, 500}) {
            try (HealthStub api = HealthStub.loopback(null).answering(code, "{}")) {
                assertThat(status(Map.of("VHBA_HTTP", "127.0.0.1:" + api.port()))).as("HTTP %d", code).isEqualTo(1);
            }
        }
    }

    @Test
    void theTokenFromTheEnvironmentIsSentAsABearerToken() throws IOException {
        try (HealthStub api = HealthStub.loopback(TOKEN)) {
            Scripts.Finished f = probe(Map.of("VHBA_HTTP", "127.0.0.1:" + api.port(), "VHBA_HTTP_TOKEN", TOKEN));
            assertThat(f.exitCode()).as("%s", f).isZero();
            assertThat(api.requests).singleElement().extracting(HealthStub.Request::authorization).isEqualTo("Bearer " + TOKEN);
            assertThat(f.stdout()).doesNotContain(TOKEN);
        }
    }

    @Test
    void theTokenFileIsReadWithoutItsTrailingNewline() throws IOException {
        Path file = tmp.resolve("http-token");
        Files.writeString(file, TOKEN + "\n");
        try (HealthStub api = HealthStub.loopback(TOKEN)) {
            assertThat(status(Map.of("VHBA_HTTP", "127.0.0.1:" + api.port(), "VHBA_HTTP_TOKEN_FILE", file.toString()))).isZero();
            assertThat(api.requests).singleElement().extracting(HealthStub.Request::authorization).isEqualTo("Bearer " + TOKEN);
        }
    }

    @Test
    void withoutTheTokenOrWithAWrongOneTheApiAnswers401AndTheCheckFails() throws IOException {
        try (HealthStub api = HealthStub.loopback(TOKEN)) {
            Scripts.Finished none = probe(Map.of("VHBA_HTTP", "127.0.0.1:" + api.port()));
            assertThat(none.exitCode()).as("%s", none).isEqualTo(1);
            assertThat(none.stdout()).contains("HTTP/1.1 401");
            assertThat(status(Map.of("VHBA_HTTP", "127.0.0.1:" + api.port(), "VHBA_HTTP_TOKEN", "wrong"))).isEqualTo(1);
            assertThat(api.requests).extracting(HealthStub.Request::authorization).containsExactly(null, "Bearer wrong");
        }
    }

    @Test
    void anUnreadableTokenFileIsUnhealthy() {
        Scripts.Finished f = probe(Map.of("VHBA_HTTP", "127.0.0.1:1", "VHBA_HTTP_TOKEN_FILE", tmp.resolve("missing").toString()));
        assertThat(f.exitCode()).isEqualTo(1);
        assertThat(f.stdout()).isEqualTo("cannot read VHBA_HTTP_TOKEN_FILE\n");
    }

    @Test
    void aWildcardAddressIsProbedOnTheLoopback() throws IOException {
        try (HealthStub api = HealthStub.loopback(TOKEN)) {
            // With a token the entry point's default is the wildcard; VHBA_HTTP given explicitly here.
            assertThat(status(Map.of("VHBA_HTTP", "0.0.0.0:" + api.port(), "VHBA_HTTP_TOKEN", TOKEN))).isZero();
        }
    }

    @Test
    void anIpv6ApiIsProbedOnTheIpv6Loopback() throws IOException {
        HealthStub api;
        try {
            api = new HealthStub(InetAddress.getByName("::1"), null);
        } catch (IOException e) {
            throw new org.opentest4j.TestAbortedException("no IPv6 loopback on this machine", e);
        }
        try (api) {
            assertThat(status(Map.of("VHBA_HTTP", "[::]:" + api.port()))).isZero();
            assertThat(status(Map.of("VHBA_HTTP", "[::1]:" + api.port()))).isZero();
        }
    }

    @Test
    void nothingListeningIsUnhealthy() throws IOException {
        Scripts.Finished f = probe(Map.of("VHBA_HTTP", "127.0.0.1:" + closedPort()));
        assertThat(f.exitCode()).isEqualTo(1);
        assertThat(f.stdout()).startsWith("nothing listens on 127.0.0.1:");
    }

    @Test
    void anApiThatAcceptsButNeverAnswersIsUnhealthyWithinTheCheckTimeout() throws Exception {
        try (ServerSocket mute = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            Thread holder = new Thread(() -> {
                try (Socket s = mute.accept(); InputStream in = s.getInputStream()) {
                    in.readAllBytes(); // read the request, answer nothing until the check hangs up
                } catch (IOException e) {
                    // the test ended
                }
            });
            holder.start();
            long start = System.nanoTime();
            assertThat(status(Map.of("VHBA_HTTP", "127.0.0.1:" + mute.getLocalPort()))).isEqualTo(1);
            assertThat((System.nanoTime() - start) / 1_000_000_000.0).as("seconds; the image allows 5").isLessThan(5);
            holder.join(10_000);
        }
    }

    // ---- VHBA_HTTP=off: no API, the portal's TCP port stands in ------------------------------------

    private static int portalProbe(String listen) {
        Map<String, String> env = new HashMap<>();
        env.put("VHBA_HTTP", "off");
        env.put("VHBA_LISTEN", listen);
        Scripts.Finished f = probe(env);
        assertThat(f.stdout()).isEmpty();
        return f.exitCode();
    }

    @Test
    void withoutTheApiAWildcardPortalIsProbedOnTheLoopback() throws IOException {
        try (ServerSocket portal = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            assertThat(portalProbe("0.0.0.0:" + portal.getLocalPort())).isZero();
            assertThat(portalProbe("127.0.0.1:" + portal.getLocalPort())).isZero();
        }
    }

    @Test
    void withoutTheApiOnlyTheFirstOfSeveralPortalsIsProbed() throws IOException {
        int closed = closedPort();
        try (ServerSocket portal = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            assertThat(portalProbe("0.0.0.0:" + portal.getLocalPort() + ",0.0.0.0:" + closed)).isZero();
            assertThat(portalProbe("0.0.0.0:" + closed + " 0.0.0.0:" + portal.getLocalPort())).isEqualTo(1);
        }
    }

    @Test
    void withoutTheApiAClosedPortalIsUnhealthyWithStatus1() throws IOException {
        // Docker reserves status 2; anything but 0 and 1 would be a broken check.
        assertThat(portalProbe("0.0.0.0:" + closedPort())).isEqualTo(1);
    }
}
