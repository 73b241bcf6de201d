package io.vhba.emulator.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The start-up warning for targets anyone can use: one line, only when a portal is reachable from elsewhere. */
class OpenTargetsTest {

    private static InetSocketAddress at(String ip, int port) throws UnknownHostException {
        return new InetSocketAddress(InetAddress.getByName(ip), port); // literal addresses: no lookup
    }

    @Test
    void loopbackPortalsStayQuiet() throws UnknownHostException {
        assertThat(OpenTargets.warning(List.of("iqn.2026-11.io.vhba:disk0"), List.of(at("127.0.0.1", 3260), at("::1", 3260))))
                .isEmpty();
    }

    @Test
    void protectedTargetsStayQuietEverywhere() throws UnknownHostException {
        assertThat(OpenTargets.warning(List.of(), List.of(at("0.0.0.0", 3260)))).isEmpty();
    }

    @Test
    void openTargetsOnAWildcardOrAnInterfaceGetOneLineNamingThemAndTheAddresses() throws UnknownHostException {
        String w = OpenTargets.warning(List.of("iqn.2026-11.io.vhba:a", "iqn.2026-11.io.vhba:b"),
                List.of(at("127.0.0.1", 3260), at("0.0.0.0", 3260), at("192.0.2.10", 3261), at("::", 3262))).orElseThrow();
        assertThat(w).doesNotContain("\n").contains("iqn.2026-11.io.vhba:a, iqn.2026-11.io.vhba:b",
                "0.0.0.0:3260, 192.0.2.10:3261, [0:0:0:0:0:0:0:0]:3262", "no CHAP and no initiator ACL")
                .doesNotContain("127.0.0.1");
    }
}
