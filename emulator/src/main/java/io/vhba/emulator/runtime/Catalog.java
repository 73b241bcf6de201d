package io.vhba.emulator.runtime;

import io.vhba.emulator.iscsi.session.TargetCatalog;
import io.vhba.emulator.scsi.core.ScsiTarget;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** The targets of this process and the portals they are reachable on. */
final class Catalog implements TargetCatalog {
    private final Map<String, ScsiTarget> targets = new LinkedHashMap<>();
    private final Supplier<List<InetSocketAddress>> portals;

    Catalog(List<ScsiTarget> targets, Supplier<List<InetSocketAddress>> portals) {
        targets.forEach(t -> this.targets.put(t.name(), t));
        this.portals = portals;
    }

    @Override
    public List<ScsiTarget> targets() {
        return List.copyOf(targets.values());
    }

    @Override
    public ScsiTarget target(String name) {
        return targets.get(name);
    }

    /** Every portal, the wildcard ones answered with the address the initiator used (RFC 7143 §13.8). */
    @Override
    public List<String> addresses(ScsiTarget target, String localPortal) {
        List<String> l = new ArrayList<>();
        for (InetSocketAddress a : portals.get()) {
            String host = a.getAddress().isAnyLocalAddress() ? localPortal.substring(0, localPortal.lastIndexOf(':'))
                    : a.getAddress().getHostAddress();
            String hostPart = host.contains(":") ? "[" + host + "]" : host;
            l.add(hostPart + ":" + a.getPort() + "," + target.portalGroupTag());
        }
        return l;
    }
}
