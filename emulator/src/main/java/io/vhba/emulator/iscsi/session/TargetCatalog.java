package io.vhba.emulator.iscsi.session;

import io.vhba.emulator.scsi.core.ScsiTarget;
import java.util.List;

/** The targets this process serves and the portals each is reachable on (for login and SendTargets). */
public interface TargetCatalog {

    List<ScsiTarget> targets();

    /** The targets {@code initiatorName} may log in to, which are all SendTargets shows it (RFC 7143 §13.3). */
    default List<ScsiTarget> targetsFor(String initiatorName) {
        return targets().stream().filter(t -> t.acl().admits(initiatorName)).toList();
    }

    /** The target called {@code name}, or null. */
    ScsiTarget target(String name);

    /**
     * The TargetAddress values of {@code target} (RFC 7143 §13.8: {@code host:port,tpgt}), as seen
     * from a connection that arrived on {@code localPortal} (wildcard listeners answer with it).
     */
    List<String> addresses(ScsiTarget target, String localPortal);
}
