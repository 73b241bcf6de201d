package io.vhba.docker;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** healthcheck.sh (bash, as in the image) against a loopback listener standing in for the portal. */
class HealthcheckTest {

    private static int probe(Map<String, String> env) {
        Scripts.Finished f = Scripts.run(env, 30, List.of("bash", ModuleFiles.healthcheck().toString()));
        assertThat(f.stdout()).isEmpty();
        return f.exitCode();
    }

    private static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Test
    void aWildcardPortalIsProbedOnTheLoopback() throws IOException {
        try (ServerSocket portal = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            assertThat(probe(Map.of("VHBA_LISTEN", "0.0.0.0:" + portal.getLocalPort()))).isZero();
        }
    }

    @Test
    void aNamedPortalIsProbedAsIs() throws IOException {
        try (ServerSocket portal = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            assertThat(probe(Map.of("VHBA_LISTEN", "127.0.0.1:" + portal.getLocalPort()))).isZero();
        }
    }

    @Test
    void onlyTheFirstOfSeveralPortalsIsProbed() throws IOException {
        int closed = closedPort();
        try (ServerSocket portal = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            assertThat(probe(Map.of("VHBA_LISTEN", "0.0.0.0:" + portal.getLocalPort() + ",0.0.0.0:" + closed))).isZero();
            assertThat(probe(Map.of("VHBA_LISTEN", "0.0.0.0:" + closed + " 0.0.0.0:" + portal.getLocalPort()))).isEqualTo(1);
        }
    }

    @Test
    void aClosedPortalIsUnhealthyWithStatus1() throws IOException {
        // Docker reserves status 2; anything but 0 and 1 would be a broken check.
        assertThat(probe(Map.of("VHBA_LISTEN", "0.0.0.0:" + closedPort()))).isEqualTo(1);
    }

    @Test
    void anIpv6WildcardIsProbedOnTheIpv6Loopback() throws IOException {
        ServerSocket portal;
        try {
            portal = new ServerSocket(0, 1, InetAddress.getByName("::1"));
        } catch (IOException e) {
            throw new org.opentest4j.TestAbortedException("no IPv6 loopback on this machine", e);
        }
        try (portal) {
            assertThat(probe(Map.of("VHBA_LISTEN", "[::]:" + portal.getLocalPort()))).isZero();
        }
    }
}
