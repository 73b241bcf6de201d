package io.vhba.samples.virtual;

import io.vhba.hw.ScsiBus;
import io.vhba.miniport.FindAdapterStatus;
import io.vhba.miniport.HwStorDpcRoutine;
import io.vhba.miniport.HwStorPassiveInitializeRoutine;
import io.vhba.miniport.PortConfigurationInformation;
import io.vhba.miniport.SrbStatus;
import io.vhba.miniport.StorPort;
import io.vhba.miniport.SynchronizationModel;

/** FindAdapter, HwInitialize, passive initialisation and ResetBus of the virtual miniport. */
final class VirtualLifecycle {
    static final int MAXIMUM_TRANSFER_LENGTH = 1 << 20;
    /** Target IDs the bus scan covers; the backing answers for absent LUNs itself. */
    static final int MAX_TARGETS = 8;
    /** Queue depth per LUN: requests wait in the port's queue beyond this, not in ours. */
    static final int QUEUE_DEPTH = 64;

    private final StorPort port;
    private final VirtualIo io;

    VirtualLifecycle(StorPort port, VirtualIo io) {
        this.port = port;
        this.io = io;
    }

    /**
     * VIRTUAL_HW_FIND_ADAPTER: PASSIVE_LEVEL, no lock. No access ranges, no interrupt, no DMA:
     * the "hardware" is whatever the miniport reaches in software, here the logical units the
     * platform passes as BusInformation. The limits must still be set.
     */
    FindAdapterStatus findAdapter(VirtualExtension ext, Object hwContext, Object busInformation,
                                  String argumentString, PortConfigurationInformation config) {
        if (!config.isVirtualDevice() || !(busInformation instanceof ScsiBus backing)) {
            port.debugPrint(1, "virtual: no backing in BusInformation (%s)", busInformation);
            return FindAdapterStatus.SP_RETURN_NOT_FOUND;
        }
        ext.backing = backing;
        int targets = 0;
        int luns = 0;
        for (int t = 0; t < MAX_TARGETS; t++) {
            for (int lun : backing.luns(t)) {
                targets = t + 1;
                luns = Math.max(luns, lun + 1);
            }
        }
        if (targets == 0) {
            return FindAdapterStatus.SP_RETURN_NOT_FOUND;
        }
        ext.targets = targets;
        ext.luns = luns;
        config.setMaximumTransferLength(MAXIMUM_TRANSFER_LENGTH);
        // no DMA, so no scatter/gather limit of our own; the value must still be set (STORPORT.md, step 2)
        config.setNumberOfPhysicalBreaks(MAXIMUM_TRANSFER_LENGTH / 4096);
        config.setScatterGather(false);
        config.setMaster(false);
        config.setCachesData(false);
        config.setNumberOfBuses(1);
        config.setMaximumNumberOfTargets(targets);
        config.setMaximumNumberOfLogicalUnits(luns);
        config.setTaggedQueuing(true);
        config.setMultipleRequestPerLu(true);
        config.setMaxIosPerLun(QUEUE_DEPTH);
        config.setInitialLunQueueDepth(QUEUE_DEPTH);
        config.setSynchronizationMode(SynchronizationModel.FULL_DUPLEX);
        return FindAdapterStatus.SP_RETURN_FOUND;
    }

    /** HwStorInitialize of a virtual miniport: PASSIVE_LEVEL, no interrupt lock (there is no interrupt). */
    boolean initialize(VirtualExtension ext) {
        HwStorPassiveInitializeRoutine<VirtualExtension> routine = this::passiveInitialize;
        return port.enablePassiveInitialization(ext, routine);
    }

    /** PASSIVE_LEVEL, no lock: the only place StorPortInitializeDpc is legal, virtual or not. */
    boolean passiveInitialize(VirtualExtension ext) {
        HwStorDpcRoutine<VirtualExtension> routine = (dpc, e, a1, a2) -> io.executeDpc(dpc, e);
        port.initializeDpc(ext, ext.executeDpc, routine);
        return true;
    }

    /**
     * HwStorResetBus: DISPATCH_LEVEL, StartIo lock. What is still queued completes BUS_RESET;
     * a request a DPC has already taken finishes on the backing and completes normally.
     */
    boolean resetBus(VirtualExtension ext, int pathId) {
        io.completeQueued(ext, s -> true, SrbStatus.BUS_RESET);
        return true;
    }
}
