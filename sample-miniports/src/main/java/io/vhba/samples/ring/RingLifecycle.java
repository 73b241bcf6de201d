package io.vhba.samples.ring;

import io.vhba.miniport.FindAdapterStatus;
import io.vhba.miniport.GroupAffinity;
import io.vhba.miniport.HwStorDpcRoutine;
import io.vhba.miniport.HwStorMessageSignaledInterruptRoutine;
import io.vhba.miniport.HwStorPassiveInitializeRoutine;
import io.vhba.miniport.InterruptSynchronizationMode;
import io.vhba.miniport.MemoryBuffer;
import io.vhba.miniport.NotificationType;
import io.vhba.miniport.PerfConfigurationData;
import io.vhba.miniport.PhysicalRange;
import io.vhba.miniport.PortConfigurationInformation;
import io.vhba.miniport.ScsiAdapterControlStatus;
import io.vhba.miniport.ScsiAdapterControlType;
import io.vhba.miniport.SpinLockType;
import io.vhba.miniport.Srb;
import io.vhba.miniport.SrbStatus;
import io.vhba.miniport.StorPerf;
import io.vhba.miniport.StorPort;
import io.vhba.miniport.StorStatus;
import io.vhba.miniport.SynchronizationModel;
import io.vhba.samples.common.AdapterControl;
import io.vhba.samples.common.Bar0;
import io.vhba.samples.common.hw.BusInfo;
import io.vhba.samples.ring.hw.RingLayout.CqEntry;
import io.vhba.samples.ring.hw.RingLayout.SqEntry;
import io.vhba.samples.ring.hw.RingRegister;
import io.vhba.samples.ring.hw.RingRegister.Caps;
import io.vhba.samples.ring.hw.RingRegister.Control;
import io.vhba.samples.ring.hw.RingRegister.Status;
import java.util.Arrays;

/**
 * The adapter's life: FindAdapter, HwInitialize (with StorPortInitializePerfOpts), passive
 * initialisation, ResetBus and AdapterControl, in the order STORPORT.md's "Start-up order" gives.
 */
final class RingLifecycle {
    static final int PAGE_SIZE = 4096;
    static final int MAXIMUM_TRANSFER_LENGTH = 1 << 20;
    /** The controller major version this driver speaks. */
    static final int SUPPORTED_MAJOR_VERSION = 1;
    /** Entries per ring: 255 outstanding commands per pair, the most one LUN's queue holds anyway. */
    static final int QUEUE_SIZE = 256;
    private static final int RUNNING = Control.ENABLE | Control.INTR_ENABLE;
    /** What the driver asks of StorPortInitializePerfOpts when the port offers it. */
    private static final int WANTED_PERF = StorPerf.STOR_PERF_DPC_REDIRECTION | StorPerf.STOR_PERF_CONCURRENT_CHANNELS
            | StorPerf.STOR_PERF_INTERRUPT_MESSAGE_RANGES | StorPerf.STOR_PERF_ADV_CONFIG_LOCALITY;

    private final StorPort port;
    private final RingIo io;

    RingLifecycle(StorPort port, RingIo io) {
        this.port = port;
        this.io = io;
    }

    // ---- HwStorFindAdapter -----------------------------------------------------------------

    /**
     * HwStorFindAdapter: PASSIVE_LEVEL, no lock. Maps BAR0, reads what the device offers, counts the
     * processors, takes one queue pair per processor (as many as the device and the MSI-X messages
     * allow), states the adapter's limits, sets SrbExtensionSize and only then takes the one uncached
     * extension, which holds every ring.
     */
    FindAdapterStatus findAdapter(RingExtension ext, Object hwContext, Object busInformation,
                                  String argumentString, PortConfigurationInformation config) {
        ext.registers = Bar0.map(port, ext, config, RingRegister.BAR0_SIZE);
        if (ext.registers == null) {
            return FindAdapterStatus.SP_RETURN_BAD_CONFIG;
        }

        int version = ext.registers.read(RingRegister.VERSION);
        if (version >>> 16 != SUPPORTED_MAJOR_VERSION) {
            port.debugPrint(1, "ring: controller version %08X is not 1.x", version);
            return FindAdapterStatus.SP_RETURN_NOT_FOUND;
        }
        int caps = ext.registers.read(RingRegister.CAPS);
        int busInfo = ext.registers.read(RingRegister.BUS_INFO);
        int sgLimit = ext.registers.read(RingRegister.SG_LIMIT);
        ext.processors = processors(ext);
        int pairs = Math.min(Math.min(ext.processors, Caps.maxQueues(caps)), config.getMessageCount());
        int size = Math.min(QUEUE_SIZE, Caps.maxQueueEntries(caps));
        if (pairs == 0 || size < 2 || sgLimit < 2) {
            // this sample is MSI-X only: one message per pair, and no line-interrupt ISR
            port.debugPrint(1, "ring: %d pair(s) of %d entries, SG_LIMIT %d: cannot run", pairs, size, sgLimit);
            return FindAdapterStatus.SP_RETURN_BAD_CONFIG;
        }

        int elements = Math.min(RingIo.SrbExtension.MAX_ELEMENTS, sgLimit);
        ext.maxSgElements = elements;
        config.setMaximumTransferLength(Math.min(MAXIMUM_TRANSFER_LENGTH, (elements - 1) * PAGE_SIZE));
        config.setNumberOfPhysicalBreaks(elements - 1);
        config.setScatterGather(true);
        config.setMaster(true);
        config.setDma64BitAddresses(true);
        config.setCachesData(false);
        config.setNumberOfBuses(1);
        config.setMaximumNumberOfTargets(Math.max(1, BusInfo.targets(busInfo)));
        config.setMaximumNumberOfLogicalUnits(Math.max(1, BusInfo.luns(busInfo)));
        config.setTaggedQueuing(true);
        config.setMultipleRequestPerLu(true);
        // one LU's requests may all come from one processor, hence one pair: no more than the pair holds
        config.setMaxIosPerLun(Math.min(255, size - 1));
        config.setInitialLunQueueDepth(Math.min(255, size - 1));
        // full duplex until StorPortInitializePerfOpts grants concurrent channels in HwInitialize
        config.setSynchronizationMode(SynchronizationModel.FULL_DUPLEX);
        HwStorMessageSignaledInterruptRoutine<RingExtension> isr = io::messageSignaledInterrupt;
        config.setHwMSInterruptRoutine(isr);
        config.setInterruptSynchronizationMode(InterruptSynchronizationMode.INTERRUPT_SYNCHRONIZE_PER_MESSAGE);
        config.setSrbExtensionSize(RingIo.SrbExtension.SIZE); // before GetUncachedExtension (bug check 0xF1/0x2002 otherwise)

        int sqBytes = size * SqEntry.SIZE;
        int cqBytes = size * CqEntry.SIZE;
        int pairBytes = sqBytes + cqBytes; // a multiple of 64: every submission ring stays 64-byte aligned
        MemoryBuffer uncached = port.getUncachedExtension(ext, config, SqEntry.ALIGNMENT + pairs * pairBytes);
        if (uncached == null) {
            return FindAdapterStatus.SP_RETURN_ERROR;
        }
        PhysicalRange physical = port.getPhysicalAddress(ext, null, uncached.virtualAddress());
        int pad = (int) Math.floorMod(-physical.physicalAddress(), (long) SqEntry.ALIGNMENT);
        if (physical.length() < pad + (long) pairs * pairBytes) {
            return FindAdapterStatus.SP_RETURN_ERROR; // an uncached extension is contiguous by contract
        }
        ext.queues = new QueuePair[pairs];
        ext.queueOfMessage = new QueuePair[config.getMessageCount()];
        for (int q = 0; q < pairs; q++) {
            int offset = pad + q * pairBytes;
            QueuePair pair = new QueuePair(q, q, size, uncached.slice(offset, sqBytes), physical.physicalAddress() + offset,
                    uncached.slice(offset + sqBytes, cqBytes), physical.physicalAddress() + offset + sqBytes);
            pair.resetRings(); // phase 0 everywhere: no completion entry is the driver's yet
            ext.queues[q] = pair;
            ext.queueOfMessage[pair.message] = pair;
        }
        ext.queueOfProcessor = new int[ext.processors];
        for (int cpu = 0; cpu < ext.processors; cpu++) {
            ext.queueOfProcessor[cpu] = cpu % pairs; // until the port reports where each message lands
        }
        return FindAdapterStatus.SP_RETURN_FOUND;
    }

    /** Every processor of every group: StorPortGetActiveGroupCount, then each group's affinity mask. */
    private int processors(RingExtension ext) {
        int n = 0;
        int groups = port.getActiveGroupCount(ext);
        for (int g = 0; g < groups; g++) {
            n += Long.bitCount(port.getGroupAffinity(ext, g));
        }
        return Math.max(1, n);
    }

    // ---- HwStorInitialize and passive initialisation ---------------------------------------

    /**
     * HwStorInitialize: DIRQL holding the interrupt lock (every message's), interrupts connected.
     * Programs and enables the controller, then asks for the performance optimisations (legal here
     * and in the passive routine only). No I/O arrives before passive initialisation has set up the
     * DPCs, so no completion can interrupt before they exist.
     */
    boolean initialize(RingExtension ext) {
        if (!program(ext)) {
            return false;
        }
        initializePerfOpts(ext);
        port.debugPrint(2, "ring: %s", describe(ext));
        HwStorPassiveInitializeRoutine<RingExtension> routine = this::passiveInitialize;
        return port.enablePassiveInitialization(ext, routine);
    }

    /**
     * StorPortInitializePerfOpts, query then set: DPC redirection (a request's completion DPC runs on
     * the processor that issued it), concurrent channels (one per pair: StartIo without the StartIo
     * lock), the pairs' messages as the redirection range, and the locality report, from which the
     * driver learns which processor each message interrupts and submits there on that pair. Whatever
     * the port refuses, the driver still works: its own locks do not depend on the StartIo lock.
     */
    private void initializePerfOpts(RingExtension ext) {
        PerfConfigurationData query = PerfConfigurationData.current();
        if (port.initializePerfOpts(ext, true, query) != StorStatus.STOR_STATUS_SUCCESS
                || (query.getFlags() & StorPerf.STOR_PERF_DPC_REDIRECTION) == 0) {
            port.debugPrint(1, "ring: no DPC redirection offered; StartIo keeps the StartIo lock");
            return;
        }
        int wanted = WANTED_PERF & query.getFlags();
        if ((wanted & StorPerf.STOR_PERF_INTERRUPT_MESSAGE_RANGES) == 0) {
            wanted &= ~StorPerf.STOR_PERF_ADV_CONFIG_LOCALITY; // locality needs the ranges
        }
        PerfConfigurationData set = PerfConfigurationData.current();
        set.setFlags(wanted);
        set.setConcurrentChannels(ext.queues.length);
        set.setFirstRedirectionMessageNumber(ext.queues[0].message);
        set.setLastRedirectionMessageNumber(ext.queues[ext.queues.length - 1].message);
        GroupAffinity[] targets = new GroupAffinity[ext.queueOfMessage.length];
        set.setMessageTargets(targets);
        if (port.initializePerfOpts(ext, false, set) != StorStatus.STOR_STATUS_SUCCESS) {
            port.debugPrint(1, "ring: StorPortInitializePerfOpts refused flags %08X; StartIo keeps the StartIo lock", wanted);
            return;
        }
        ext.perfFlags = wanted;
        if ((wanted & StorPerf.STOR_PERF_ADV_CONFIG_LOCALITY) != 0) {
            for (QueuePair q : ext.queues) {
                GroupAffinity t = targets[q.message];
                for (int cpu = 0; t != null && t.group() == 0 && cpu < Math.min(64, ext.processors); cpu++) {
                    if ((t.mask() & 1L << cpu) != 0) {
                        ext.queueOfProcessor[cpu] = q.id; // this pair's completions interrupt that processor
                    }
                }
            }
        }
    }

    /** The passive initialisation routine: PASSIVE_LEVEL, no lock; the only place StorPortInitializeDpc is legal. One DPC per pair. */
    boolean passiveInitialize(RingExtension ext) {
        for (QueuePair q : ext.queues) {
            HwStorDpcRoutine<RingExtension> routine = (dpc, e, a1, a2) -> io.completionDpc(e, q);
            port.initializeDpc(ext, q.dpc, routine);
        }
        return true;
    }

    /** Writes the queue registers and ENABLE; true once STATUS says READY. The rings must be empty (phase 0). */
    private boolean program(RingExtension ext) {
        Bar0 r = ext.registers;
        r.write(RingRegister.NUM_QUEUES, ext.queues.length);
        for (QueuePair q : ext.queues) {
            r.write(RingRegister.SQ_BASE_LO, q.id, (int) q.sqPhysical);
            r.write(RingRegister.SQ_BASE_HI, q.id, (int) (q.sqPhysical >>> 32));
            r.write(RingRegister.CQ_BASE_LO, q.id, (int) q.cqPhysical);
            r.write(RingRegister.CQ_BASE_HI, q.id, (int) (q.cqPhysical >>> 32));
            r.write(RingRegister.QUEUE_SIZE, q.id, q.size);
            r.write(RingRegister.QUEUE_VECTOR, q.id, q.message);
        }
        r.write(RingRegister.CONTROL, RUNNING);
        int status = r.read(RingRegister.STATUS);
        if ((status & Status.READY) == 0) {
            port.debugPrint(1, "ring: controller not ready, STATUS %08X (%s)", status, Status.fatalCode(status));
            return false;
        }
        return true;
    }

    // ---- HwStorResetBus --------------------------------------------------------------------

    /**
     * HwStorResetBus: DISPATCH_LEVEL holding the StartIo lock, every device queue paused. With
     * concurrent channels the StartIo lock does not keep StartIo out, so the reset takes the
     * interrupt lock (every pair's MSI lock, StartIo lock first: the documented order): no StartIo,
     * ISR or DPC touches a pair meanwhile. Resets the controller, completes what it held with
     * SRB_STATUS_BUS_RESET and brings it back.
     */
    boolean resetBus(RingExtension ext, int pathId) {
        return AdapterControl.underSpinLock(port, ext, SpinLockType.INTERRUPT_LOCK, () -> {
            stopController(ext);
            return program(ext);
        });
    }

    /**
     * CONTROL.RESET: when the write returns the device makes no more DMA and has forgotten every
     * command. Each pair then completes the SRBs the device held and starts its rings afresh. What
     * an ISR already harvested was completed by the device: its DPC completes it as usual.
     */
    private void stopController(RingExtension ext) {
        ext.registers.write(RingRegister.CONTROL, Control.RESET);
        for (QueuePair q : ext.queues) {
            for (int id = 0; id < q.size; id++) {
                Srb srb = q.srbs[id];
                if (srb != null) {
                    q.srbs[id] = null;
                    q.freeId(id);
                    srb.setSrbStatus(SrbStatus.BUS_RESET);
                    port.notification(NotificationType.REQUEST_COMPLETE, ext, srb);
                }
            }
            q.resetRings();
        }
    }

    // ---- HwStorAdapterControl --------------------------------------------------------------

    /**
     * HwStorAdapterControl: no lock held on entry. Stop and Restart take the interrupt lock, as
     * ResetBus does, so they cannot interleave with StartIo, an ISR or a DPC.
     */
    ScsiAdapterControlStatus adapterControl(RingExtension ext, ScsiAdapterControlType type, Object parameters) {
        return AdapterControl.stopAndRestart(port, ext, type, parameters, SpinLockType.INTERRUPT_LOCK, this::stopController, this::program);
    }

    /** For the log: the pairs, which pair each processor submits on, the optimisations granted. */
    static String describe(RingExtension ext) {
        return ext.queues.length + " pair(s) of " + ext.queues[0].size + ", processor->pair " + Arrays.toString(ext.queueOfProcessor)
                + ", perf flags " + Integer.toHexString(ext.perfFlags);
    }
}
