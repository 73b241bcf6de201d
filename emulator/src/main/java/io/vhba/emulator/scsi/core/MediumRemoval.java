package io.vhba.emulator.scsi.core;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PREVENT ALLOW MEDIUM REMOVAL is a per-I_T-nexus state (SBC-4 5.12, SPC-4 6.13): the medium
 * stays locked while any nexus prevents removal, and a nexus's prevention ends with its ALLOW,
 * its I_T nexus loss (logout included), or a logical unit or target reset. The device behind
 * the adapter sees no nexus, only one "prevented" flag, so the core keeps the set of preventing
 * nexuses per LUN and tells the device (an ALLOW of its own, through the engine) when the set
 * becomes empty.
 */
final class MediumRemoval {
    private static final Logger LOG = LoggerFactory.getLogger(MediumRemoval.class);
    /** PREVENT ALLOW MEDIUM REMOVAL with PREVENT 00b. */
    private static final byte[] ALLOW = {0x1E, 0, 0, 0, 0, 0};

    private final Set<ItNexus> preventing = ConcurrentHashMap.newKeySet();

    /**
     * The command {@code r} is a PREVENT ALLOW from its nexus. Returns true when the device must
     * see it; false when an ALLOW leaves the medium locked by another nexus (answered GOOD here).
     */
    boolean onPreventAllow(CommandRequest r) {
        int prevent = r.cdb()[4] & 0x03;
        if (prevent == 1) {
            preventing.add(r.nexus());
            return true;
        }
        if (prevent == 0) {
            preventing.remove(r.nexus());
            return preventing.isEmpty();
        }
        return true; // PREVENT 1xb is the medium changer's; the device refuses it
    }

    /** The nexus is gone: its prevention ends. */
    void nexusLost(ScsiTargetCore core, ScsiTarget target, TargetLun lun, ItNexus nexus) {
        if (preventing.remove(nexus) && preventing.isEmpty()) {
            allow(core, target, lun, "I_T nexus loss");
        }
    }

    /** A logical unit reset ends every nexus's prevention. */
    void reset(ScsiTargetCore core, ScsiTarget target, TargetLun lun) {
        if (!preventing.isEmpty()) {
            preventing.clear();
            allow(core, target, lun, "logical unit reset");
        }
    }

    /** Sends the device an ALLOW of the core's own; runs on a processor thread like every submission. */
    private static void allow(ScsiTargetCore core, ScsiTarget target, TargetLun lun, String why) {
        CommandRequest allow = new CommandRequest(null, target, lun.lun(), ALLOW.clone(), false, false, 0, 0);
        new PreparedCommand(core, allow, lun, null, 0, 0, 0, false).submit(o -> {
            if (o.status() != io.vhba.miniport.scsi.ScsiStatus.GOOD) {
                LOG.warn("{} LUN {}: ALLOW MEDIUM REMOVAL after {} failed: {}", target.name(), lun.lun(), why, o.status());
            }
        });
    }
}
