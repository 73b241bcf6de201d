package io.vhba.emulator.runtime;

import io.vhba.emulator.config.TargetConfig;
import io.vhba.emulator.scsi.core.ScsiTarget;
import io.vhba.emulator.scsi.disk.CopyDomain;
import io.vhba.emulator.storport.Adapter;
import io.vhba.hw.ScsiBus;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * One configured target as it runs: the SCSI target initiators see, the adapter and the SCSI bus behind it (the
 * controller's, or the virtual miniport's BusInformation), the target's copy domain and its disks by LUN.
 */
final class TargetRuntime {
    final TargetConfig config;
    final ScsiTarget target;
    final Adapter adapter;
    final ScsiBus bus;
    final CopyDomain copyDomain;
    /**
     * A LUN is being added or removed: the target core raises REPORTED LUNS DATA HAS CHANGED for it, so the same
     * condition from the port's rescan is not raised a second time (an initiator would hear of one change twice).
     */
    volatile boolean replugging;
    /** The disk behind each mapped LUN; changed only under the runtime's reconfiguration lock. */
    final Map<Integer, Disks.Unit> disks = new ConcurrentSkipListMap<>();

    TargetRuntime(TargetConfig config, ScsiTarget target, Adapter adapter, ScsiBus bus, CopyDomain copyDomain) {
        this.config = config;
        this.target = target;
        this.adapter = adapter;
        this.bus = bus;
        this.copyDomain = copyDomain;
    }

    String iqn() {
        return target.name();
    }
}
