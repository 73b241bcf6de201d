package io.vhba.samples.ring;

import io.vhba.miniport.MemoryBuffer;
import io.vhba.miniport.NotificationType;
import io.vhba.miniport.PhysicalRange;
import io.vhba.miniport.Srb;
import io.vhba.miniport.SrbFlags;
import io.vhba.miniport.SrbFunction;
import io.vhba.miniport.SrbStatus;
import io.vhba.miniport.StorPort;
import io.vhba.samples.common.SrbTranslation;
import io.vhba.samples.common.StartIoFunctions;
import io.vhba.samples.common.hw.LunReset;
import io.vhba.samples.common.hw.SgEntry;
import io.vhba.samples.ring.hw.Direction;
import io.vhba.samples.ring.hw.RingLayout.CqEntry;
import io.vhba.samples.ring.hw.RingLayout.SqEntry;
import io.vhba.samples.ring.hw.RingRegister;
import io.vhba.samples.ring.hw.RingRegister.Abort;

/**
 * The I/O path: BuildIo, StartIo, the MSI-X routine and the completion DPC. The lifecycle
 * callbacks are in {@link RingLifecycle}.
 */
final class RingIo {

    /**
     * The SRB extension: the submission entry BuildIo prepares, the sense data the device writes,
     * then the hardware scatter/gather list. Physically contiguous: Storport carves SRB extensions
     * out of common buffer, which is why SrbExtensionSize must be known before GetUncachedExtension.
     */
    static final class SrbExtension {
        private SrbExtension() {}

        /** The submission entry, COMMAND_ID left 0: StartIo copies it to the ring and stamps the ID. */
        static final int ENTRY = 0x00;
        /** Where the device writes sense data with CHECK CONDITION. */
        static final int SENSE = 0x40;
        static final int SENSE_SIZE = 32;
        static final int LIST = 0x80;
        /** A 1 MiB transfer that starts mid-page touches 257 pages of 4 KiB. */
        static final int MAX_ELEMENTS = RingLifecycle.MAXIMUM_TRANSFER_LENGTH / RingLifecycle.PAGE_SIZE + 1;
        static final int SIZE = LIST + MAX_ELEMENTS * SgEntry.SIZE;
    }

    private final StorPort port;
    private final StartIoFunctions<RingExtension> functions;

    RingIo(StorPort port) {
        this.port = port;
        this.functions = new StartIoFunctions<>(port);
        functions.on(SrbFunction.EXECUTE_SCSI, this::submit);
        functions.on(SrbFunction.ABORT_COMMAND, this::abortCommand);
        functions.on(SrbFunction.RESET_LOGICAL_UNIT, (ext, srb) -> resetUnit(ext, srb, LunReset.encode(srb.targetId(), srb.lun())));
        functions.on(SrbFunction.RESET_DEVICE, (ext, srb) -> resetUnit(ext, srb, LunReset.encode(srb.targetId(), 0) | LunReset.ALL_LUNS));
    }

    // ---- HwStorBuildIo ---------------------------------------------------------------------

    /**
     * HwStorBuildIo: DISPATCH_LEVEL, no lock, in parallel on every processor. Everything about the
     * request that needs no shared state is done here: the whole submission entry and the
     * scatter/gather list, in the SRB extension. StartIo is left with claiming an ID, copying 64
     * bytes and ringing. Returns false only after completing the SRB itself.
     */
    boolean buildIo(RingExtension ext, Srb srb) {
        if (srb.function() != SrbFunction.EXECUTE_SCSI) {
            return true;
        }
        int cdbLength = srb.cdbLength();
        if (cdbLength < 1 || cdbLength > SqEntry.CDB_MAX) {
            return completeInBuildIo(ext, srb, SrbStatus.INVALID_REQUEST);
        }
        MemoryBuffer sx = srb.srbExtension();
        Direction direction = direction(srb);
        int count = 0;
        if (direction != Direction.NONE) {
            count = SrbTranslation.writeScatterGatherList(port, ext, srb, ext.maxSgElements, sx, SrbExtension.LIST);
            if (count < 0) {
                // the port splits or refuses transfers beyond NumberOfPhysicalBreaks + 1 elements, so this is a port bug
                return completeInBuildIo(ext, srb, SrbStatus.INVALID_REQUEST);
            }
        }
        PhysicalRange physical = port.getPhysicalAddress(ext, srb, sx.virtualAddress());
        if (physical == null || physical.length() < SrbExtension.LIST + count * SgEntry.SIZE) {
            // the device reads the list with one DMA; a split SRB extension would send it into foreign memory
            port.logError(ext, srb, srb.pathId(), srb.targetId(), srb.lun(), 0x1001, 0x5247_0001);
            return completeInBuildIo(ext, srb, SrbStatus.ERROR);
        }
        boolean sense = srb.senseInfoBuffer() != null && (srb.srbFlags() & SrbFlags.DISABLE_AUTOSENSE) == 0;
        int e = SrbExtension.ENTRY;
        sx.putShort(e + SqEntry.COMMAND_ID, (short) 0);
        sx.putByte(e + SqEntry.CDB_LENGTH, (byte) cdbLength);
        sx.putByte(e + SqEntry.FLAGS, (byte) SqEntry.flags(direction, SrbTranslation.taskAttribute(srb)));
        sx.putByte(e + SqEntry.TARGET, (byte) srb.targetId());
        sx.putByte(e + SqEntry.LUN, (byte) srb.lun());
        sx.putShort(e + SqEntry.SENSE_LENGTH, (short) (sense ? SrbExtension.SENSE_SIZE : 0));
        sx.putInt(e + SqEntry.DATA_LENGTH, direction == Direction.NONE ? 0 : srb.dataTransferLength());
        sx.putInt(e + SqEntry.SG_COUNT, count);
        sx.putLong(e + SqEntry.SG_ADDRESS, count == 0 ? 0 : physical.physicalAddress() + SrbExtension.LIST);
        sx.putLong(e + SqEntry.SENSE_ADDRESS, sense ? physical.physicalAddress() + SrbExtension.SENSE : 0);
        byte[] cdb = new byte[SqEntry.CDB_MAX]; // zero past the CDB, as the entry wants
        srb.copyCdb(cdb);
        sx.put(e + SqEntry.CDB, cdb, 0, SqEntry.CDB_MAX);
        return true;
    }

    private boolean completeInBuildIo(RingExtension ext, Srb srb, SrbStatus status) {
        complete(ext, srb, status);
        return false;
    }

    private static Direction direction(Srb srb) {
        if (srb.dataTransferLength() == 0 || srb.dataBuffer() == null) {
            return Direction.NONE;
        }
        return switch (srb.srbFlags() & SrbFlags.UNSPECIFIED_DIRECTION) {
            case SrbFlags.DATA_IN -> Direction.IN;
            case SrbFlags.DATA_OUT -> Direction.OUT;
            case SrbFlags.UNSPECIFIED_DIRECTION -> Direction.BIDIRECTIONAL;
            default -> Direction.NONE;
        };
    }

    // ---- HwStorStartIo ---------------------------------------------------------------------

    /**
     * HwStorStartIo: DISPATCH_LEVEL. With concurrent channels (StorPortInitializePerfOpts) the port
     * holds no lock: StartIo runs on every processor at once, and each request takes only the lock
     * of the pair it goes to. No waiting here (SDV StorPortStartIo): a full pair answers BUSY.
     */
    boolean startIo(RingExtension ext, Srb srb) {
        functions.start(ext, srb);
        return true;
    }

    /**
     * EXECUTE_SCSI on the calling processor's pair: under the pair's MSI lock, claim a COMMAND_ID,
     * copy the entry BuildIo prepared to the ring's tail and move SQ_TAIL. The lock keeps the pair's
     * ISR and DPC, and any other submitter, out for those few stores.
     */
    private void submit(RingExtension ext, Srb srb) {
        QueuePair q = ext.queueFor(port.getCurrentProcessorNumber(ext));
        MemoryBuffer sx = srb.srbExtension();
        boolean busy;
        int oldIrql = port.acquireMsiSpinLock(ext, q.message);
        try {
            int id = q.claimId();
            busy = id < 0;
            if (!busy) {
                q.srbs[id] = srb; // before the doorbell: a device may complete it the moment the write lands
                int at = q.sqTail * SqEntry.SIZE;
                for (int o = 0; o < SqEntry.SIZE; o += 8) {
                    q.sq.putLong(at + o, sx.getLong(SrbExtension.ENTRY + o));
                }
                q.sq.putShort(at + SqEntry.COMMAND_ID, (short) id);
                q.sqTail = q.sqTail + 1 == q.size ? 0 : q.sqTail + 1;
                ext.registers.write(RingRegister.SQ_TAIL, q.id, q.sqTail);
            }
        } finally {
            port.releaseMsiSpinLock(ext, q.message, oldIrql);
        }
        if (busy) {
            // SRB_STATUS_BUSY: the port requeues the SRB and sends it through BuildIo again later
            complete(ext, srb, SrbStatus.BUSY);
        }
    }

    /** ABORT_COMMAND: the device completes the victim (NextSrb) ABORTED through its pair; ABORT_FAILED if no pair holds it. */
    private void abortCommand(RingExtension ext, Srb srb) {
        Srb victim = srb.nextSrb();
        boolean found = false;
        for (int i = 0; i < ext.queues.length && !found && victim != null; i++) {
            QueuePair q = ext.queues[i];
            int oldIrql = port.acquireMsiSpinLock(ext, q.message);
            try {
                for (int id = 0; id < q.size && !found; id++) {
                    if (q.srbs[id] == victim) {
                        ext.registers.write(RingRegister.ABORT, Abort.encode(q.id, id));
                        found = true;
                    }
                }
            } finally {
                port.releaseMsiSpinLock(ext, q.message, oldIrql);
            }
        }
        complete(ext, srb, found ? SrbStatus.SUCCESS : SrbStatus.ABORT_FAILED);
    }

    /** RESET_LOGICAL_UNIT / RESET_DEVICE: the device completes that unit's commands RESET, through their pairs, before the write returns. */
    private void resetUnit(RingExtension ext, Srb srb, int lunReset) {
        ext.registers.write(RingRegister.LUN_RESET, lunReset);
        complete(ext, srb, SrbStatus.SUCCESS);
    }

    private void complete(RingExtension ext, Srb srb, SrbStatus status) {
        srb.setSrbStatus(status);
        port.notification(NotificationType.REQUEST_COMPLETE, ext, srb);
    }

    // ---- HwMSInterruptRoutine --------------------------------------------------------------

    /**
     * The MSI-X routine: DIRQL holding this message's lock only (InterruptSynchronizePerMessage),
     * so the pairs' ISRs run in parallel. It walks every new completion entry by phase tag (no
     * status register to read), moves each request to the harvested batch, hands the ring back with
     * one CQ_HEAD write for the whole batch (which re-arms the vector) and queues the DPC. A false
     * from IssueDpc means the DPC is already queued and will see this batch too.
     */
    boolean messageSignaledInterrupt(RingExtension ext, int messageId) {
        QueuePair q = messageId >= 0 && messageId < ext.queueOfMessage.length ? ext.queueOfMessage[messageId] : null;
        if (q == null) {
            return false;
        }
        MemoryBuffer cq = q.cq;
        int harvested = 0;
        while (true) {
            int at = q.cqHead * CqEntry.SIZE;
            // the phase dword first: the device writes it last
            int dword3 = cq.getInt(at + CqEntry.SQ_ID);
            if (((dword3 >>> 16) & CqEntry.PHASE) != q.phase) {
                break;
            }
            long dwords01 = cq.getLong(at + CqEntry.COMMAND_ID);
            int id = (int) dwords01 & 0xFFFF;
            Srb srb = id < q.size ? q.srbs[id] : null;
            if (srb != null) {
                q.srbs[id] = null; // the batch holds it now; the ID stays claimed until the DPC takes the batch
                q.harvested.add(srb, id, RingCompletion.info((int) (dwords01 >>> 32), cq.getInt(at + CqEntry.SCSI_STATUS)));
                harvested++;
            } else {
                port.debugPrint(1, "ring: queue %d completed command %d, which it does not hold", q.id, id);
            }
            if (++q.cqHead == q.size) {
                q.cqHead = 0;
                q.phase ^= 1;
            }
        }
        ext.registers.write(RingRegister.CQ_HEAD, q.id, q.cqHead);
        if (harvested > 0) {
            port.issueDpc(ext, q.dpc, null, null);
        }
        return true; // an MSI-X message is never shared: it came from this adapter even if a previous pass drained it
    }

    // ---- HwStorDpcRoutine ------------------------------------------------------------------

    /**
     * The completion DPC of one pair: DISPATCH_LEVEL, no lock held, on the pair's processor. A DPC
     * re-queued while it runs can run on a second processor at once, so the batch changes hands
     * under the pair's MSI lock (and the IDs it held are freed there); the requests are then
     * completed outside it, in a row. After RequestComplete the port owns each SRB.
     */
    void completionDpc(RingExtension ext, QueuePair q) {
        QueuePair.Batch batch;
        int oldIrql = port.acquireMsiSpinLock(ext, q.message);
        try {
            batch = q.harvested;
            if (batch.count == 0) {
                return;
            }
            QueuePair.Batch next = q.spare.getAndSet(null);
            q.harvested = next != null ? next : new QueuePair.Batch(q.size);
            for (int i = 0; i < batch.count; i++) {
                q.freeId(batch.commandId[i]);
            }
        } finally {
            port.releaseMsiSpinLock(ext, q.message, oldIrql);
        }
        for (int i = 0; i < batch.count; i++) {
            Srb srb = batch.srb[i];
            batch.srb[i] = null;
            RingCompletion.apply(srb, batch.info[i]);
            port.notification(NotificationType.REQUEST_COMPLETE, ext, srb); // the SRB is the port's from here on
        }
        batch.count = 0;
        q.spare.compareAndSet(null, batch);
    }
}
