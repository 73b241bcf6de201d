package io.vhba.emulator.runtime;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The one warning line for targets anyone on the network can use: no CHAP, no allow-list, and a portal that is not
 * loopback (a wildcard portal counts as not loopback). Loopback-only targets are the safe default and stay quiet.
 */
final class OpenTargets {
    private OpenTargets() {}

    /**
     * @param openTargets the names of the targets without CHAP and without an allow rule
     * @param portals     the addresses the portals are bound to
     * @return the warning, or empty when no open target is reachable from another host
     */
    static Optional<String> warning(List<String> openTargets, List<InetSocketAddress> portals) {
        List<String> exposed = portals.stream().filter(a -> a.getAddress() == null || !a.getAddress().isLoopbackAddress())
                .map(OpenTargets::text).toList();
        if (openTargets.isEmpty() || exposed.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of((openTargets.size() == 1 ? "target " : "targets ") + String.join(", ", openTargets)
                + (openTargets.size() == 1 ? " has" : " have") + " no CHAP and no initiator ACL and listen"
                + (openTargets.size() == 1 ? "s" : "") + " on " + exposed.stream().collect(Collectors.joining(", "))
                + ": any host that reaches " + (exposed.size() == 1 ? "it" : "them")
                + " can read and write the LUNs (docs/security.md)");
    }

    private static String text(InetSocketAddress a) {
        String host = a.getAddress() == null ? a.getHostString() : a.getAddress().getHostAddress();
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort();
    }
}
