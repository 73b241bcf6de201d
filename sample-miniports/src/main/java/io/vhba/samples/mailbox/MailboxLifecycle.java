package io.vhba.samples.mailbox;

import io.vhba.miniport.FindAdapterStatus;
import io.vhba.miniport.HwStorDpcRoutine;
import io.vhba.miniport.HwStorMessageSignaledInterruptRoutine;
import io.vhba.miniport.HwStorPassiveInitializeRoutine;
import io.vhba.miniport.InterruptSynchronizationMode;
import io.vhba.miniport.MemoryBuffer;
import io.vhba.miniport.NotificationType;
import io.vhba.miniport.PhysicalRange;
import io.vhba.miniport.PortConfigurationInformation;
import io.vhba.miniport.ScsiAdapterControlStatus;
import io.vhba.miniport.ScsiAdapterControlType;
import io.vhba.miniport.SpinLockType;
import io.vhba.miniport.Srb;
import io.vhba.miniport.SrbStatus;
import io.vhba.miniport.StorPort;
import io.vhba.miniport.SynchronizationModel;
import io.vhba.samples.common.AdapterControl;
import io.vhba.samples.common.Bar0;
import io.vhba.samples.common.hw.BusInfo;
import io.vhba.samples.mailbox.hw.MailboxLayout.CqEntry;
import io.vhba.samples.mailbox.hw.MailboxLayout.Slot;
import io.vhba.samples.mailbox.hw.MailboxRegister;
import io.vhba.samples.mailbox.hw.MailboxRegister.Caps;
import io.vhba.samples.mailbox.hw.MailboxRegister.Control;
import io.vhba.samples.mailbox.hw.MailboxRegister.Status;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The adapter's life: FindAdapter, HwInitialize, passive initialisation, ResetBus and
 * AdapterControl, in the order STORPORT.md's "Start-up order" gives.
 */
final class MailboxLifecycle {
    static final int PAGE_SIZE = 4096;
    static final int MAXIMUM_TRANSFER_LENGTH = 1 << 20;
    /** The controller major version this driver speaks. */
    static final int SUPPORTED_MAJOR_VERSION = 1;
    /** Slack so the slot array can start on its 64-byte boundary whatever the extension's alignment. */
    private static final int ALIGNMENT_SLACK = Slot.ALIGNMENT;
    private static final int RUNNING = Control.ENABLE | Control.INTR_ENABLE | Control.MSIX_ENABLE;

    private final StorPort port;
    private final MailboxIo io;

    MailboxLifecycle(StorPort port, MailboxIo io) {
        this.port = port;
        this.io = io;
    }

    // ---- HwStorFindAdapter -----------------------------------------------------------------

    /**
     * HwStorFindAdapter: PASSIVE_LEVEL, no lock. Maps BAR0, reads what the device offers,
     * states the adapter's limits (MaximumTransferLength and NumberOfPhysicalBreaks are
     * mandatory), sets SrbExtensionSize and only then takes the one uncached extension.
     */
    FindAdapterStatus findAdapter(MailboxExtension ext, Object hwContext, Object busInformation,
                                  String argumentString, PortConfigurationInformation config) {
        ext.registers = Bar0.map(port, ext, config, MailboxRegister.CQ_HEAD.offset(0) + 4);
        if (ext.registers == null) {
            return FindAdapterStatus.SP_RETURN_BAD_CONFIG;
        }

        int version = ext.registers.read(MailboxRegister.VERSION);
        if (version >>> 16 != SUPPORTED_MAJOR_VERSION) {
            port.debugPrint(1, "mailbox: controller version %08X is not 1.x", version);
            return FindAdapterStatus.SP_RETURN_NOT_FOUND;
        }
        int caps = ext.registers.read(MailboxRegister.CAPS);
        int busInfo = ext.registers.read(MailboxRegister.BUS_INFO);
        int sgLimit = ext.registers.read(MailboxRegister.SG_LIMIT);
        ext.slotCount = Caps.maxSlots(caps);
        ext.messageCount = Math.min(config.getMessageCount(), Caps.msixCount(caps));
        if (ext.slotCount == 0 || sgLimit < 2) {
            return FindAdapterStatus.SP_RETURN_BAD_CONFIG;
        }
        if (ext.messageCount == 0) {
            // this sample is MSI-X only: it has no line-interrupt ISR
            port.debugPrint(1, "mailbox: no MSI-X messages granted");
            return FindAdapterStatus.SP_RETURN_BAD_CONFIG;
        }
        ext.queueDepth = ext.slotCount + 1; // a queue never fills: at most slotCount entries are outstanding

        int elements = Math.min(MailboxIo.SrbExtension.MAX_ELEMENTS, sgLimit);
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
        config.setMaxIosPerLun(Math.min(255, ext.slotCount));
        config.setInitialLunQueueDepth(Math.min(255, ext.slotCount));
        config.setSynchronizationMode(SynchronizationModel.FULL_DUPLEX);
        HwStorMessageSignaledInterruptRoutine<MailboxExtension> isr = io::messageSignaledInterrupt;
        config.setHwMSInterruptRoutine(isr);
        config.setInterruptSynchronizationMode(InterruptSynchronizationMode.INTERRUPT_SYNCHRONIZE_PER_MESSAGE);
        config.setSrbExtensionSize(MailboxIo.SrbExtension.SIZE); // before GetUncachedExtension (bug check 0xF1/0x2002 otherwise)

        int slotBytes = ext.slotCount * Slot.SIZE;
        int queueBytes = ext.messageCount * ext.queueDepth * CqEntry.SIZE;
        MemoryBuffer uncached = port.getUncachedExtension(ext, config, ALIGNMENT_SLACK + slotBytes + queueBytes);
        if (uncached == null) {
            return FindAdapterStatus.SP_RETURN_ERROR;
        }
        PhysicalRange physical = port.getPhysicalAddress(ext, null, uncached.virtualAddress());
        int pad = (int) Math.floorMod(-physical.physicalAddress(), (long) Slot.ALIGNMENT);
        if (physical.length() < pad + slotBytes + queueBytes) {
            return FindAdapterStatus.SP_RETURN_ERROR; // an uncached extension is contiguous by contract
        }
        ext.slotArea = uncached.slice(pad, slotBytes);
        ext.slotAreaPhysical = physical.physicalAddress() + pad;
        ext.queueArea = uncached.slice(pad + slotBytes, queueBytes);
        ext.queueAreaPhysical = ext.slotAreaPhysical + slotBytes;
        ext.slotArea.fill(0, slotBytes, (byte) 0);
        ext.queueArea.fill(0, queueBytes, (byte) 0); // phase 0 everywhere: no entry is the driver's yet

        ext.slotBitmap = new SlotBitmap(ext.slotCount);
        ext.slotSrb = new AtomicReferenceArray<>(ext.slotCount);
        ext.messages = new MessageQueue[ext.messageCount];
        for (int m = 0; m < ext.messageCount; m++) {
            ext.messages[m] = new MessageQueue(m, m * ext.queueDepth * CqEntry.SIZE, ext.slotCount);
        }
        return FindAdapterStatus.SP_RETURN_FOUND;
    }

    // ---- HwStorInitialize and passive initialisation ---------------------------------------

    /**
     * HwStorInitialize: DIRQL holding the interrupt lock, interrupts connected. Programs and
     * enables the controller; no I/O arrives before passive initialisation has set up the
     * DPCs, so no completion can interrupt before they exist.
     */
    boolean initialize(MailboxExtension ext) {
        if (!program(ext)) {
            return false;
        }
        HwStorPassiveInitializeRoutine<MailboxExtension> routine = this::passiveInitialize;
        return port.enablePassiveInitialization(ext, routine);
    }

    /** The passive initialisation routine: PASSIVE_LEVEL, no lock; the only place StorPortInitializeDpc is legal. One DPC per message. */
    boolean passiveInitialize(MailboxExtension ext) {
        for (MessageQueue q : ext.messages) {
            int messageId = q.messageId;
            HwStorDpcRoutine<MailboxExtension> routine = (dpc, e, a1, a2) -> io.completionDpc(dpc, e, messageId);
            port.initializeDpc(ext, q.dpc, routine);
        }
        return true;
    }

    /** Writes the configuration registers and ENABLE; true once STATUS says READY. */
    private boolean program(MailboxExtension ext) {
        Bar0 r = ext.registers;
        r.write(MailboxRegister.SLOT_BASE_LO, (int) ext.slotAreaPhysical);
        r.write(MailboxRegister.SLOT_BASE_HI, (int) (ext.slotAreaPhysical >>> 32));
        r.write(MailboxRegister.NUM_SLOTS, ext.slotCount);
        r.write(MailboxRegister.NUM_VECTORS, ext.messageCount);
        r.write(MailboxRegister.CQ_BASE_LO, (int) ext.queueAreaPhysical);
        r.write(MailboxRegister.CQ_BASE_HI, (int) (ext.queueAreaPhysical >>> 32));
        r.write(MailboxRegister.CQ_DEPTH, ext.queueDepth);
        r.write(MailboxRegister.INTR_MASK, 0);
        r.write(MailboxRegister.CONTROL, RUNNING);
        int status = r.read(MailboxRegister.STATUS);
        if ((status & Status.READY) == 0) {
            port.debugPrint(1, "mailbox: controller not ready, STATUS %08X (%s)", status, Status.fatalCode(status));
            return false;
        }
        return true;
    }

    // ---- HwStorResetBus --------------------------------------------------------------------

    /**
     * HwStorResetBus: DISPATCH_LEVEL holding the StartIo lock, every device queue paused.
     * Resets the controller, completes every outstanding SRB with SRB_STATUS_BUS_RESET and
     * brings the controller back.
     */
    boolean resetBus(MailboxExtension ext, int pathId) {
        stopController(ext);
        return program(ext);
    }

    /**
     * CONTROL.RESET: when the write returns the device makes no more DMA. Then, under each
     * message's lock (StartIo lock first, MSI lock second: the documented order), forget what
     * the ISRs drained and start the queues afresh; then complete what is still ours.
     */
    private void stopController(MailboxExtension ext) {
        ext.registers.write(MailboxRegister.CONTROL, Control.RESET);
        for (MessageQueue q : ext.messages) {
            int oldIrql = port.acquireMsiSpinLock(ext, q.messageId);
            try {
                q.reset();
                ext.queueArea.fill(q.queueOffset, ext.queueDepth * CqEntry.SIZE, (byte) 0);
            } finally {
                port.releaseMsiSpinLock(ext, q.messageId, oldIrql);
            }
        }
        for (int slot = 0; slot < ext.slotCount; slot++) {
            Srb srb = ext.slotSrb.getAndSet(slot, null); // null: free, or a DPC owns it already
            if (srb != null) {
                ext.slotBitmap.free(slot);
                srb.setSrbStatus(SrbStatus.BUS_RESET);
                port.notification(NotificationType.REQUEST_COMPLETE, ext, srb);
            }
        }
    }

    // ---- HwStorAdapterControl --------------------------------------------------------------

    /**
     * HwStorAdapterControl: no lock held on entry. Stop and Restart take the StartIo lock
     * (allowed here) so they cannot interleave with StartIo or ResetBus.
     */
    ScsiAdapterControlStatus adapterControl(MailboxExtension ext, ScsiAdapterControlType type, Object parameters) {
        return AdapterControl.stopAndRestart(port, ext, type, parameters, SpinLockType.START_IO_LOCK, this::stopController, this::program);
    }
}
