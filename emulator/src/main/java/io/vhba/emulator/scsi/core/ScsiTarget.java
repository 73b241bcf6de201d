package io.vhba.emulator.scsi.core;

import io.vhba.emulator.scsi.core.access.AccessControlList;
import io.vhba.emulator.scsi.core.access.LunMask;
import java.util.Collection;
import java.util.Collections;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * One SCSI target device as initiators see it: an iSCSI name, a portal group, and a LUN map.
 *
 * @see ScsiTargetCore
 */
public final class ScsiTarget {
    private final String name;
    private final String alias;
    private final int portalGroupTag;
    private final int relativeTargetPortId;
    private volatile boolean unitAttentionOnLogin = true;
    private final NavigableMap<Integer, TargetLun> luns = new TreeMap<>();
    private final AccessControlList acl = new AccessControlList(n -> lun(n) != null);

    public ScsiTarget(String name, String alias, int portalGroupTag, int relativeTargetPortId) {
        this.name = name;
        this.alias = alias;
        this.portalGroupTag = portalGroupTag;
        this.relativeTargetPortId = relativeTargetPortId;
    }

    public String name() {
        return name;
    }

    public String alias() {
        return alias;
    }

    public int portalGroupTag() {
        return portalGroupTag;
    }

    public int relativeTargetPortId() {
        return relativeTargetPortId;
    }

    /**
     * Whether a new I_T nexus first sees POWER ON, RESET, OR BUS DEVICE RESET OCCURRED (the
     * default, as tgt does). Off for initiators that cannot take a CHECK CONDITION on their first
     * command (jSCSI 2.2 sends READ CAPACITY inside session setup and fails on anything but Data-In).
     */
    public boolean unitAttentionOnLogin() {
        return unitAttentionOnLogin;
    }

    public void setUnitAttentionOnLogin(boolean on) {
        unitAttentionOnLogin = on;
    }

    /** Who may log in to this target and which LUNs each initiator sees; empty (open) unless configured. */
    public AccessControlList acl() {
        return acl;
    }

    /** The LUNs the initiator of {@code nexus} may address now (LUN masking). */
    public LunMask visibleLuns(ItNexus nexus) {
        return acl.list().isEmpty() ? LunMask.ALL : acl.mask(nexus.initiatorName());
    }

    public synchronized void map(TargetLun lun) {
        if (luns.putIfAbsent(lun.lun(), lun) != null) {
            throw new IllegalArgumentException(name + ": LUN " + lun.lun() + " is mapped twice");
        }
    }

    /** Takes a LUN out of the map (hot removal); returns it, or null when it was not mapped. */
    public synchronized TargetLun unmap(int number) {
        return luns.remove(number);
    }

    public synchronized TargetLun lun(int number) {
        return luns.get(number);
    }

    public synchronized Collection<TargetLun> luns() {
        return Collections.unmodifiableCollection(new TreeMap<>(luns).values());
    }

    /** The target port's name (RFC 7143 §4.2.7.3). */
    public String targetPortName() {
        return String.format("%s,t,0x%04x", name, portalGroupTag);
    }
}
