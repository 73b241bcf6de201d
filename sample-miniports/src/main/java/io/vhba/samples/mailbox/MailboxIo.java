package io.vhba.samples.mailbox;

import io.vhba.miniport.MemoryBuffer;
import io.vhba.miniport.NotificationType;
import io.vhba.miniport.PhysicalRange;
import io.vhba.miniport.Srb;
import io.vhba.miniport.SrbFlags;
import io.vhba.miniport.SrbFunction;
import io.vhba.miniport.SrbStatus;
import io.vhba.miniport.StorDpc;
import io.vhba.miniport.StorPort;
import io.vhba.samples.common.SrbTranslation;
import io.vhba.samples.common.StartIoFunctions;
import io.vhba.samples.common.hw.LunReset;
import io.vhba.samples.common.hw.SgEntry;
import io.vhba.samples.mailbox.hw.MailboxLayout.CqEntry;
import io.vhba.samples.mailbox.hw.MailboxLayout.Slot;
import io.vhba.samples.mailbox.hw.MailboxRegister;
import io.vhba.samples.mailbox.hw.SlotDirection;

/**
 * The I/O path: BuildIo, StartIo, the MSI-X routine and the completion DPC. The lifecycle
 * callbacks are in {@link MailboxLifecycle}.
 */
final class MailboxIo {

    /**
     * The SRB extension: a header StartIo reads, then the hardware scatter/gather list BuildIo
     * writes. It must be physically contiguous; Storport carves SRB extensions out of common
     * buffer, which is why SrbExtensionSize must be known before GetUncachedExtension.
     */
    static final class SrbExtension {
        private SrbExtension() {}

        /** u64: physical address of the list. */
        static final int SG_ADDRESS = 0x00;
        /** u32: entries in the list. */
        static final int SG_COUNT = 0x08;
        static final int LIST = 0x10;
        /** A 1 MiB transfer that starts mid-page touches 257 pages of 4 KiB. */
        static final int MAX_ELEMENTS = MailboxLifecycle.MAXIMUM_TRANSFER_LENGTH / MailboxLifecycle.PAGE_SIZE + 1;
        static final int SIZE = LIST + MAX_ELEMENTS * SgEntry.SIZE;
    }

    private final StorPort port;
    private final StartIoFunctions<MailboxExtension> functions;

    MailboxIo(StorPort port) {
        this.port = port;
        this.functions = new StartIoFunctions<>(port);
        functions.on(SrbFunction.EXECUTE_SCSI, this::executeScsi);
        functions.on(SrbFunction.ABORT_COMMAND, this::abortCommand);
        functions.on(SrbFunction.RESET_LOGICAL_UNIT, (ext, srb) -> resetUnit(ext, srb, LunReset.encode(srb.targetId(), srb.lun())));
        functions.on(SrbFunction.RESET_DEVICE, (ext, srb) -> resetUnit(ext, srb, LunReset.encode(srb.targetId(), 0) | LunReset.ALL_LUNS));
    }

    // ---- HwStorBuildIo ---------------------------------------------------------------------

    /**
     * HwStorBuildIo: DISPATCH_LEVEL, no lock held, so the work done here runs in parallel on
     * every processor: translate the port's scatter/gather list into the hardware format in
     * the SRB extension. Returns false only after completing the SRB itself, which then never
     * reaches StartIo.
     */
    boolean buildIo(MailboxExtension ext, Srb srb) {
        if (srb.function() != SrbFunction.EXECUTE_SCSI) {
            return true;
        }
        MemoryBuffer sx = srb.srbExtension();
        int count = 0;
        long listPhysical = 0;
        if (srb.dataTransferLength() > 0 && srb.dataBuffer() != null) {
            count = SrbTranslation.writeScatterGatherList(port, ext, srb, ext.maxSgElements, sx, SrbExtension.LIST);
            if (count < 0) {
                // the port splits or refuses transfers beyond NumberOfPhysicalBreaks + 1 elements, so this is a port bug
                return completeInBuildIo(ext, srb, SrbStatus.INVALID_REQUEST);
            }
            PhysicalRange list = port.getPhysicalAddress(ext, srb, sx.virtualAddress() + SrbExtension.LIST);
            if (list == null || list.length() < count * SgEntry.SIZE) {
                // the device reads the list with one DMA; a split SRB extension would send it into foreign memory
                port.logError(ext, srb, srb.pathId(), srb.targetId(), srb.lun(), 0x1001, 0x4D42_0001);
                return completeInBuildIo(ext, srb, SrbStatus.ERROR);
            }
            listPhysical = list.physicalAddress();
        }
        sx.putLong(SrbExtension.SG_ADDRESS, listPhysical);
        sx.putInt(SrbExtension.SG_COUNT, count);
        return true;
    }

    private boolean completeInBuildIo(MailboxExtension ext, Srb srb, SrbStatus status) {
        srb.setSrbStatus(status);
        port.notification(NotificationType.REQUEST_COMPLETE, ext, srb);
        return false;
    }

    // ---- HwStorStartIo ---------------------------------------------------------------------

    /**
     * HwStorStartIo, full duplex: DISPATCH_LEVEL holding the StartIo lock, so StartIo calls
     * are serialised with each other and with ResetBus, but not with the ISR or the DPC. No
     * waiting here (SDV StorPortStartIo): a full controller answers BUSY and the port requeues.
     */
    boolean startIo(MailboxExtension ext, Srb srb) {
        functions.start(ext, srb);
        return true;
    }

    private void executeScsi(MailboxExtension ext, Srb srb) {
        int cdbLength = srb.cdbLength();
        if (cdbLength < 1 || cdbLength > Slot.CDB_MAX) {
            complete(ext, srb, SrbStatus.INVALID_REQUEST);
            return;
        }
        int slot = ext.slotBitmap.claim();
        if (slot < 0) {
            // SRB_STATUS_BUSY: the port requeues the SRB and sends it through BuildIo again later
            complete(ext, srb, SrbStatus.BUSY);
            return;
        }
        MemoryBuffer s = ext.slot(slot);
        MemoryBuffer sx = srb.srbExtension();
        SlotDirection direction = direction(srb);
        s.putByte(Slot.CDB_LENGTH, (byte) cdbLength);
        s.putByte(Slot.DIRECTION, (byte) direction.code());
        s.putByte(Slot.TASK_ATTRIBUTE, (byte) SrbTranslation.taskAttribute(srb));
        // completions come back on the submitting processor's vector, so its DPC runs where the I/O started
        s.putByte(Slot.VECTOR, (byte) (port.getCurrentProcessorNumber(ext) % ext.messageCount));
        s.putByte(Slot.TARGET, (byte) srb.targetId());
        s.putByte(Slot.LUN, (byte) srb.lun());
        s.putShort(Slot.RESERVED_06, (short) 0);
        boolean data = direction != SlotDirection.NONE;
        s.putInt(Slot.DATA_LENGTH, data ? srb.dataTransferLength() : 0);
        s.putInt(Slot.SG_COUNT, data ? sx.getInt(SrbExtension.SG_COUNT) : 0);
        s.putLong(Slot.SG_ADDRESS, data ? sx.getLong(SrbExtension.SG_ADDRESS) : 0);
        for (int i = 0; i < Slot.CDB_MAX; i++) {
            s.putByte(Slot.CDB + i, (byte) (i < cdbLength ? srb.cdb(i) : 0));
        }
        ext.slotSrb.set(slot, srb); // before the doorbell: a device may complete it the moment the write lands
        ext.registers.write(MailboxRegister.DOORBELL, slot);
    }

    private static SlotDirection direction(Srb srb) {
        if (srb.dataTransferLength() == 0) {
            return SlotDirection.NONE;
        }
        return switch (srb.srbFlags() & SrbFlags.UNSPECIFIED_DIRECTION) {
            case SrbFlags.DATA_IN -> SlotDirection.IN;
            case SrbFlags.DATA_OUT -> SlotDirection.OUT;
            case SrbFlags.UNSPECIFIED_DIRECTION -> SlotDirection.BIDIRECTIONAL;
            default -> SlotDirection.NONE;
        };
    }

    /** ABORT_COMMAND: the device completes the victim (NextSrb) with ABORTED through its queue; ABORT_FAILED if we do not hold it. */
    private void abortCommand(MailboxExtension ext, Srb srb) {
        Srb victim = srb.nextSrb();
        for (int slot = 0; slot < ext.slotCount; slot++) {
            if (victim != null && ext.slotSrb.get(slot) == victim) {
                ext.registers.write(MailboxRegister.ABORT, slot);
                complete(ext, srb, SrbStatus.SUCCESS);
                return;
            }
        }
        complete(ext, srb, SrbStatus.ABORT_FAILED);
    }

    /** RESET_LOGICAL_UNIT / RESET_DEVICE: the device completes that unit's commands with RESET before the write returns. */
    private void resetUnit(MailboxExtension ext, Srb srb, int lunReset) {
        ext.registers.write(MailboxRegister.LUN_RESET, lunReset);
        complete(ext, srb, SrbStatus.SUCCESS);
    }

    private void complete(MailboxExtension ext, Srb srb, SrbStatus status) {
        srb.setSrbStatus(status);
        port.notification(NotificationType.REQUEST_COMPLETE, ext, srb);
    }

    // ---- HwMSInterruptRoutine --------------------------------------------------------------

    /**
     * The MSI-X routine: DIRQL holding this message's lock only
     * (InterruptSynchronizePerMessage), so the vectors' ISRs run in parallel. Do the least:
     * move the queue's new entries to the drained list, hand the queue back with CQ_HEAD
     * (which re-arms the vector), queue the DPC. A false from IssueDpc means the DPC is
     * already queued and will see these entries too.
     */
    boolean messageSignaledInterrupt(MailboxExtension ext, int messageId) {
        if (messageId < 0 || messageId >= ext.messageCount) {
            return false;
        }
        MessageQueue q = ext.messages[messageId];
        MemoryBuffer cq = ext.queueArea;
        int drained = 0;
        while (true) {
            int entry = q.queueOffset + q.head * CqEntry.SIZE;
            // the phase dword first: the device writes SLOT before it
            if ((cq.getInt(entry + CqEntry.FLAGS) & CqEntry.PHASE) != q.phase) {
                break;
            }
            int slot = cq.getInt(entry + CqEntry.SLOT);
            if (slot >= 0 && slot < ext.slotCount && q.completedCount < q.completed.length) {
                q.completed[q.completedCount++] = slot;
                drained++;
            } else {
                port.debugPrint(1, "mailbox: vector %d reported impossible slot %d", messageId, slot);
            }
            if (++q.head == ext.queueDepth) {
                q.head = 0;
                q.phase ^= 1;
            }
        }
        ext.registers.write(MailboxRegister.CQ_HEAD, messageId, q.head);
        if (drained > 0) {
            port.issueDpc(ext, q.dpc, null, null);
        }
        return true; // an MSI-X message is never shared: it came from this adapter even if a previous pass drained it
    }

    // ---- HwStorDpcRoutine ------------------------------------------------------------------

    /**
     * The completion DPC of one message: DISPATCH_LEVEL, no lock held. It may run on two
     * processors at once when re-queued while running, so it takes its batch, and the SRBs
     * in it, under the message's MSI spin lock; ResetBus takes the same lock before it
     * completes what is left, so each SRB is completed once.
     */
    void completionDpc(StorDpc dpc, MailboxExtension ext, int messageId) {
        MessageQueue q = ext.messages[messageId];
        int[] slots;
        Srb[] srbs;
        int oldIrql = port.acquireMsiSpinLock(ext, messageId);
        try {
            int n = q.completedCount;
            slots = new int[n];
            srbs = new Srb[n];
            for (int i = 0; i < n; i++) {
                slots[i] = q.completed[i];
                srbs[i] = ext.slotSrb.getAndSet(slots[i], null);
            }
            q.completedCount = 0;
        } finally {
            port.releaseMsiSpinLock(ext, messageId, oldIrql);
        }
        for (int i = 0; i < slots.length; i++) {
            Srb srb = srbs[i];
            if (srb == null) {
                continue; // a reset completed it already
            }
            SrbCompletion.apply(srb, ext.slot(slots[i]));
            ext.slotBitmap.free(slots[i]); // the completion area has been read: the slot may be reused
            port.notification(NotificationType.REQUEST_COMPLETE, ext, srb); // the SRB is the port's from here on
        }
    }
}
