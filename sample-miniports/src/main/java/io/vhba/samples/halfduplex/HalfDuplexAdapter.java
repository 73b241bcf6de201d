package io.vhba.samples.halfduplex;

import io.vhba.miniport.FindAdapterStatus;
import io.vhba.miniport.HwStorDpcRoutine;
import io.vhba.miniport.HwStorPassiveInitializeRoutine;
import io.vhba.miniport.NotificationType;
import io.vhba.miniport.PortConfigurationInformation;
import io.vhba.miniport.Srb;
import io.vhba.miniport.SrbStatus;
import io.vhba.miniport.StorPort;
import io.vhba.miniport.SynchronizationModel;
import io.vhba.samples.common.Bar0;
import io.vhba.samples.common.hw.BusInfo;
import io.vhba.samples.halfduplex.hw.HalfDuplexRegister;
import io.vhba.samples.halfduplex.hw.HalfDuplexRegister.Caps;
import io.vhba.samples.halfduplex.hw.HalfDuplexRegister.Control;
import io.vhba.samples.halfduplex.hw.HalfDuplexRegister.Status;

/** The adapter's life: FindAdapter, HwInitialize, passive initialisation and ResetBus (STORPORT.md, "Start-up order"). */
final class HalfDuplexAdapter {
    static final int PAGE_SIZE = 4096;
    static final int MAXIMUM_TRANSFER_LENGTH = 1 << 20;
    static final int SUPPORTED_MAJOR_VERSION = 1;
    private static final int RUNNING = Control.ENABLE | Control.INTR_ENABLE;

    private final StorPort port;
    private final HalfDuplexIo io;

    HalfDuplexAdapter(StorPort port, HalfDuplexIo io) {
        this.port = port;
        this.io = io;
    }

    /**
     * HwStorFindAdapter: PASSIVE_LEVEL, no lock. Maps BAR0, reads what the device offers and
     * states the limits. HALF_DUPLEX is chosen here: StartIo will run under the interrupt lock.
     * The queue depth starts at 1 and is raised per LUN once its INQUIRY is known.
     */
    FindAdapterStatus findAdapter(HalfDuplexExtension ext, Object hwContext, Object busInformation,
                                  String argumentString, PortConfigurationInformation config) {
        ext.registers = Bar0.map(port, ext, config, HalfDuplexRegister.SG_LIMIT.offset() + 4);
        if (ext.registers == null) {
            return FindAdapterStatus.SP_RETURN_BAD_CONFIG;
        }
        int version = ext.registers.read(HalfDuplexRegister.VERSION);
        if (version >>> 16 != SUPPORTED_MAJOR_VERSION) {
            port.debugPrint(1, "halfduplex: controller version %08X is not 1.x", version);
            return FindAdapterStatus.SP_RETURN_NOT_FOUND;
        }
        ext.tagCount = Caps.tags(ext.registers.read(HalfDuplexRegister.CAPS));
        int busInfo = ext.registers.read(HalfDuplexRegister.BUS_INFO);
        int sgLimit = ext.registers.read(HalfDuplexRegister.SG_LIMIT);
        if (ext.tagCount == 0 || sgLimit < 2) {
            return FindAdapterStatus.SP_RETURN_BAD_CONFIG;
        }
        ext.targets = Math.max(1, BusInfo.targets(busInfo));
        ext.luns = Math.max(1, BusInfo.luns(busInfo));
        int elements = Math.min(HalfDuplexIo.SrbExtension.MAX_ELEMENTS, sgLimit);
        ext.maxSgElements = elements;

        config.setMaximumTransferLength(Math.min(MAXIMUM_TRANSFER_LENGTH, (elements - 1) * PAGE_SIZE));
        config.setNumberOfPhysicalBreaks(elements - 1);
        config.setScatterGather(true);
        config.setMaster(true);
        config.setDma64BitAddresses(true);
        config.setCachesData(false);
        config.setNumberOfBuses(1);
        config.setMaximumNumberOfTargets(ext.targets);
        config.setMaximumNumberOfLogicalUnits(ext.luns);
        config.setTaggedQueuing(true);
        config.setMultipleRequestPerLu(true);
        config.setMaxIosPerLun(ext.tagCount);
        config.setInitialLunQueueDepth(1); // untagged until the LUN's INQUIRY says CMDQUE
        config.setSynchronizationMode(SynchronizationModel.HALF_DUPLEX);
        config.setSrbExtensionSize(HalfDuplexIo.SrbExtension.SIZE);

        ext.tagSrb = new Srb[ext.tagCount];
        ext.freeTags = new int[ext.tagCount];
        ext.resetTags();
        ext.lunDepth = new HalfDuplexExtension.LunQueueDepth[ext.targets * ext.luns];
        for (int i = 0; i < ext.lunDepth.length; i++) {
            ext.lunDepth[i] = new HalfDuplexExtension.LunQueueDepth();
        }
        return FindAdapterStatus.SP_RETURN_FOUND;
    }

    /**
     * HwStorInitialize: DIRQL holding the interrupt lock, the line connected. Enables the
     * controller; no request arrives before passive initialisation has made the DPC.
     */
    boolean initialize(HalfDuplexExtension ext) {
        if (!program(ext)) {
            return false;
        }
        HwStorPassiveInitializeRoutine<HalfDuplexExtension> routine = this::passiveInitialize;
        return port.enablePassiveInitialization(ext, routine);
    }

    /** PASSIVE_LEVEL, no lock: the only place StorPortInitializeDpc is legal. */
    boolean passiveInitialize(HalfDuplexExtension ext) {
        HwStorDpcRoutine<HalfDuplexExtension> routine = (dpc, e, a1, a2) -> io.queueDepthDpc(dpc, e);
        port.initializeDpc(ext, ext.depthDpc, routine);
        return true;
    }

    private boolean program(HalfDuplexExtension ext) {
        ext.registers.write(HalfDuplexRegister.CONTROL, RUNNING);
        int status = ext.registers.read(HalfDuplexRegister.STATUS);
        if ((status & Status.READY) == 0) {
            port.debugPrint(1, "halfduplex: controller not ready, STATUS %08X (%s)", status, Status.fatalCode(status));
            return false;
        }
        return true;
    }

    /**
     * HwStorResetBus: DISPATCH_LEVEL holding the StartIo lock and, in half duplex, the
     * interrupt lock too, so neither StartIo nor the ISR can touch the tag table meanwhile.
     * CONTROL.RESET is synchronous (no DMA after the write), then every SRB the controller held
     * completes with SRB_STATUS_BUS_RESET, then the controller is enabled again.
     */
    boolean resetBus(HalfDuplexExtension ext, int pathId) {
        ext.registers.write(HalfDuplexRegister.CONTROL, Control.RESET);
        for (int tag = 0; tag < ext.tagCount; tag++) {
            Srb srb = ext.tagSrb[tag];
            if (srb != null) {
                ext.tagSrb[tag] = null;
                srb.setSrbStatus(SrbStatus.BUS_RESET);
                port.notification(NotificationType.REQUEST_COMPLETE, ext, srb);
            }
        }
        ext.resetTags();
        return program(ext);
    }
}
