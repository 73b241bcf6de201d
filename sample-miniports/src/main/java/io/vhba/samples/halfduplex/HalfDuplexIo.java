package io.vhba.samples.halfduplex;

import io.vhba.miniport.MemoryBuffer;
import io.vhba.miniport.NotificationType;
import io.vhba.miniport.PhysicalRange;
import io.vhba.miniport.Srb;
import io.vhba.miniport.SrbFlags;
import io.vhba.miniport.SrbFunction;
import io.vhba.miniport.SrbStatus;
import io.vhba.miniport.StorDpc;
import io.vhba.miniport.StorPort;
import io.vhba.miniport.scsi.ScsiOpcode;
import io.vhba.samples.common.SrbTranslation;
import io.vhba.samples.common.hw.SgEntry;
import io.vhba.samples.halfduplex.hw.CommandBlock;
import io.vhba.samples.halfduplex.hw.HalfDuplexRegister;
import io.vhba.samples.halfduplex.hw.HalfDuplexRegister.DoneTag;
import io.vhba.samples.halfduplex.hw.HalfDuplexRegister.IntrStatus;
import java.util.Map;

/**
 * The I/O path: BuildIo (no lock), StartIo and the ISR (both under the interrupt lock: half
 * duplex) and the queue-depth DPC. The lifecycle callbacks are in {@link HalfDuplexAdapter}.
 */
final class HalfDuplexIo {

    /**
     * The SRB extension (physically contiguous: Storport carves it from common buffer): the
     * command block the device reads, the driver's note of its bus address, then the
     * scatter/gather list the block points to.
     */
    static final class SrbExtension {
        private SrbExtension() {}

        static final int COMMAND_BLOCK = 0x00;
        /** u64, driver-private: the command block's bus address, found by BuildIo so StartIo need not. */
        static final int CB_PHYSICAL = CommandBlock.SIZE;
        static final int LIST = CB_PHYSICAL + 8;
        /** A 1 MiB transfer that starts mid-page touches 257 pages of 4 KiB. */
        static final int MAX_ELEMENTS = HalfDuplexAdapter.MAXIMUM_TRANSFER_LENGTH / HalfDuplexAdapter.PAGE_SIZE + 1;
        static final int SIZE = LIST + MAX_ELEMENTS * SgEntry.SIZE;
    }

    /** SrbFlags direction -> command block DIRECTION; the device has no bidirectional transfers. */
    private static final Map<Integer, Integer> DIRECTION = Map.of(
            SrbFlags.DATA_IN, CommandBlock.DIRECTION_IN,
            SrbFlags.DATA_OUT, CommandBlock.DIRECTION_OUT);

    private final StorPort port;

    HalfDuplexIo(StorPort port) {
        this.port = port;
    }

    // ---- HwStorBuildIo ---------------------------------------------------------------------

    /**
     * HwStorBuildIo: DISPATCH_LEVEL, no lock, in parallel on every processor. In half duplex
     * StartIo runs at DIRQL and holds off the ISR, so everything per-request happens here:
     * the whole command block and its scatter/gather list are written into the SRB extension,
     * and StartIo only hands the block to the device. Returns false only after completing the SRB.
     */
    boolean buildIo(HalfDuplexExtension ext, Srb srb) {
        if (srb.function() != SrbFunction.EXECUTE_SCSI) {
            return true;
        }
        int cdbLength = srb.cdbLength();
        boolean data = srb.dataTransferLength() > 0;
        Integer direction = data ? DIRECTION.get(srb.srbFlags() & SrbFlags.UNSPECIFIED_DIRECTION) : Integer.valueOf(CommandBlock.DIRECTION_NONE);
        if (cdbLength < 1 || cdbLength > CommandBlock.CDB_MAX || direction == null || (data && srb.dataBuffer() == null)) {
            return completeHere(ext, srb, SrbStatus.INVALID_REQUEST);
        }
        MemoryBuffer sx = srb.srbExtension();
        int count = 0;
        if (data) {
            count = SrbTranslation.writeScatterGatherList(port, ext, srb, ext.maxSgElements, sx, SrbExtension.LIST);
            if (count < 0) {
                // the port splits or refuses transfers beyond NumberOfPhysicalBreaks + 1 elements: a port bug
                return completeHere(ext, srb, SrbStatus.INVALID_REQUEST);
            }
        }
        PhysicalRange cb = port.getPhysicalAddress(ext, srb, sx.virtualAddress());
        if (cb == null || cb.length() < SrbExtension.LIST + count * SgEntry.SIZE
                || cb.physicalAddress() % CommandBlock.ALIGNMENT != 0) {
            // the device reads block and list with one DMA each: a split or misaligned extension would misdirect it
            port.logError(ext, srb, srb.pathId(), srb.targetId(), srb.lun(), 0x1001, 0x4844_0001);
            return completeHere(ext, srb, SrbStatus.ERROR);
        }
        sx.fill(SrbExtension.COMMAND_BLOCK, CommandBlock.SIZE, (byte) 0);
        sx.putByte(CommandBlock.CDB_LENGTH, (byte) cdbLength);
        sx.putByte(CommandBlock.DIRECTION, (byte) (int) direction);
        sx.putByte(CommandBlock.TARGET, (byte) srb.targetId());
        sx.putByte(CommandBlock.LUN, (byte) srb.lun());
        sx.putByte(CommandBlock.TASK_ATTRIBUTE, (byte) SrbTranslation.taskAttribute(srb));
        sx.putInt(CommandBlock.DATA_LENGTH, data ? srb.dataTransferLength() : 0);
        sx.putInt(CommandBlock.SG_COUNT, count);
        sx.putLong(CommandBlock.SG_ADDRESS, data ? cb.physicalAddress() + SrbExtension.LIST : 0);
        for (int i = 0; i < cdbLength; i++) {
            sx.putByte(CommandBlock.CDB + i, (byte) srb.cdb(i));
        }
        sx.putLong(SrbExtension.CB_PHYSICAL, cb.physicalAddress());
        return true;
    }

    private boolean completeHere(HalfDuplexExtension ext, Srb srb, SrbStatus status) {
        complete(ext, srb, status);
        return false;
    }

    // ---- HwStorStartIo ---------------------------------------------------------------------

    /**
     * HwStorStartIo, half duplex: DIRQL holding the interrupt lock, so the ISR cannot run on
     * any processor meanwhile, and the three register writes (CB_ADDR_LO, CB_ADDR_HI, SUBMIT)
     * cannot interleave with another StartIo or with the ISR's reads. No pool allocation and
     * no spin lock here (both are verifier findings at DIRQL), no waiting: a controller with
     * no free tag answers BUSY and the port requeues.
     */
    boolean startIo(HalfDuplexExtension ext, Srb srb) {
        if (srb.function() != SrbFunction.EXECUTE_SCSI) {
            // no abort or LUN reset in this device: the port's own timeout handling falls back to ResetBus
            complete(ext, srb, SrbStatus.INVALID_REQUEST);
            return true;
        }
        int tag = ext.claimTag();
        if (tag < 0) {
            complete(ext, srb, SrbStatus.BUSY); // requeued, and sent through BuildIo again
            return true;
        }
        long cb = srb.srbExtension().getLong(SrbExtension.CB_PHYSICAL);
        ext.tagSrb[tag] = srb; // before SUBMIT: a device may finish it the moment the write lands
        ext.registers.write(HalfDuplexRegister.CB_ADDR_LO, (int) cb);
        ext.registers.write(HalfDuplexRegister.CB_ADDR_HI, (int) (cb >>> 32));
        ext.registers.write(HalfDuplexRegister.SUBMIT, tag);
        return true;
    }

    // ---- HwStorInterrupt -------------------------------------------------------------------

    /**
     * HwStorInterrupt: DIRQL holding the interrupt lock. The INTx line is level-triggered and
     * may be shared, so the ISR first asks its own device: reading INTR_STATUS returns the
     * causes and clears them (the acknowledge that lets the level drop). No cause means another
     * device on the line interrupted: return false so the kernel asks the next ISR.
     *
     * <p>Then drain DONE_TAG and complete each SRB right here. That is legal in any
     * synchronisation model (RequestComplete only queues the SRB to Storport's completion
     * DPC), and in half duplex it needs no lock of its own: the tag table is StartIo's, and
     * StartIo cannot run while we hold the interrupt lock.
     */
    boolean interrupt(HalfDuplexExtension ext) {
        int causes = ext.registers.read(HalfDuplexRegister.INTR_STATUS);
        if (causes == 0) {
            return false;
        }
        if ((causes & IntrStatus.FATAL) != 0) {
            int status = ext.registers.read(HalfDuplexRegister.STATUS);
            port.logError(ext, null, 0, 0, 0, 0x1002, 0x4844_0002);
            port.debugPrint(1, "halfduplex: controller stopped, STATUS %08X (%s)", status,
                    HalfDuplexRegister.Status.fatalCode(status));
            // the outstanding SRBs time out; the port's recovery ends in ResetBus, which completes them
        }
        if ((causes & IntrStatus.DONE) != 0) {
            for (int v = ext.registers.read(HalfDuplexRegister.DONE_TAG); (v & DoneTag.EMPTY) == 0;
                    v = ext.registers.read(HalfDuplexRegister.DONE_TAG)) {
                completeTag(ext, DoneTag.tag(v));
            }
        }
        return true;
    }

    private void completeTag(HalfDuplexExtension ext, int tag) {
        Srb srb = tag < ext.tagCount ? ext.tagSrb[tag] : null;
        if (srb == null) {
            port.debugPrint(1, "halfduplex: DONE_TAG reported tag %d, which carries no request", tag);
            return;
        }
        ext.tagSrb[tag] = null;
        ext.freeTag(tag);
        CommandBlockStatus.apply(srb, srb.srbExtension().slice(SrbExtension.COMMAND_BLOCK, CommandBlock.SIZE));
        noteQueueDepth(ext, srb); // reads the SRB: before completion hands it to the port
        port.notification(NotificationType.REQUEST_COMPLETE, ext, srb);
    }

    /**
     * The queue depth a LUN gets once its standard INQUIRY is known: the controller's tags
     * with CMDQUE (SPC-4 6.6.2, byte 7 bit 1), else 1. StorPortSetDeviceQueueDepth is
     * legal only after the port has seen that INQUIRY, and it may start waiting requests, which
     * would take the interrupt lock we hold: so the ISR only records the wish and queues a DPC.
     */
    private void noteQueueDepth(HalfDuplexExtension ext, Srb srb) {
        HalfDuplexExtension.LunQueueDepth d = ext.depth(srb.targetId(), srb.lun());
        if (d == null) {
            return;
        }
        boolean standardInquiry = srb.cdbLength() >= 6 && srb.cdb(0) == ScsiOpcode.INQUIRY.code() && (srb.cdb(1) & 1) == 0;
        boolean answered = srb.srbStatus() == SrbStatus.SUCCESS || srb.srbStatus() == SrbStatus.DATA_OVERRUN;
        if (standardInquiry && answered && srb.dataTransferLength() >= 8) {
            MemoryBuffer inquiry = srb.dataBuffer();
            if ((inquiry.getByte(0) & 0xE0) == 0) { // peripheral qualifier 0: a unit is there
                d.wanted = (inquiry.getByte(7) & 0x02) != 0 ? ext.tagCount : 1;
            }
        }
        if (d.wanted > 0 && !d.applied) {
            port.issueDpc(ext, ext.depthDpc, null, null); // false: already queued, and it will see this LUN too
        }
    }

    // ---- the queue-depth DPC ---------------------------------------------------------------

    /**
     * DISPATCH_LEVEL, no lock: SetDeviceQueueDepth for every LUN whose INQUIRY has been seen.
     * False means the port has not finished with that INQUIRY yet; the ISR queues this DPC again
     * with the LUN's next completion.
     */
    void queueDepthDpc(StorDpc dpc, HalfDuplexExtension ext) {
        for (int t = 0; t < ext.targets; t++) {
            for (int l = 0; l < ext.luns; l++) {
                HalfDuplexExtension.LunQueueDepth d = ext.depth(t, l);
                int wanted = d.wanted;
                if (wanted > 0 && !d.applied && port.setDeviceQueueDepth(ext, 0, t, l, wanted)) {
                    d.applied = true;
                }
            }
        }
    }

    void complete(HalfDuplexExtension ext, Srb srb, SrbStatus status) {
        srb.setSrbStatus(status);
        port.notification(NotificationType.REQUEST_COMPLETE, ext, srb);
    }
}
