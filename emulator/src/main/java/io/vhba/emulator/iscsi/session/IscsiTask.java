package io.vhba.emulator.iscsi.session;

import io.netty.buffer.ByteBuf;
import io.vhba.emulator.iscsi.pdu.DataOut;
import io.vhba.emulator.iscsi.pdu.Pdu;
import io.vhba.emulator.iscsi.pdu.RejectReason;
import io.vhba.emulator.iscsi.pdu.ScsiCommand;
import io.vhba.emulator.platform.HostBuffer;
import io.vhba.emulator.scsi.core.PreparedCommand;
import java.util.ArrayList;
import java.util.List;

/**
 * One SCSI command on a connection, from its SCSI Command PDU to its status. While the target
 * collects Data-Out it tracks the unsolicited burst (immediate data and Data-Out with TTT
 * 0xFFFFFFFF, up to FirstBurstLength) and the solicited bursts (one per R2T, at most
 * MaxOutstandingR2T at a time, each at most MaxBurstLength) per RFC 7143 §4.2.5 and §11.7-11.8.
 * Data-Out beyond what the CDB asked for is accepted on the wire and dropped.
 */
final class IscsiTask {
    final int itt;
    final long lunField;
    final int cmdSn;
    final boolean read;
    final boolean write;
    final long edtl;
    final byte[] cdb;
    /**
     * When the command PDU was taken from the window: the start of its latency (to its status) for both the
     * {@code --stats} counters and the Micrometer command timer, so one clock read serves both.
     */
    final long startNanos = System.nanoTime();
    PreparedCommand prepared;

    private int need;
    private HostBuffer buffer;
    private int unsolicitedLimit;
    private int unsolicitedNext;
    private int unsolicitedDataSn;
    private boolean unsolicitedDone;
    private int r2tNextOffset = -1;
    private int r2tSnNext;
    private final List<R2tState> outstanding = new ArrayList<>(2);

    /** Queued until the session may send another R2T ({@link PortalLimits#maxOutstandingR2tPerSession}). */
    boolean waitingForR2t;

    /** The LUN's command meters. */
    CommandMeters meters = CommandMeters.NONE;
    /** Data-Out bytes taken into the buffer, for the write byte counter. */
    int dataOutBytes;

    boolean submitted;
    /** The task's flow on the timeline (0 without one). */
    long flowId;
    boolean aborted;
    boolean done;
    int dataInPdus;
    int r2tsSent;

    IscsiTask(ScsiCommand c) {
        this.itt = c.itt();
        this.lunField = c.lun();
        this.cmdSn = c.cmdSN();
        this.read = c.read();
        this.write = c.write();
        this.edtl = c.expectedDataTransferLength() & 0xFFFF_FFFFL;
        this.cdb = c.cdb();
    }

    /**
     * Starts Data-Out collection for a prepared command and takes the immediate data.
     *
     * @throws DataOutProblem when immediate or unsolicited data breaks the negotiated rules
     */
    void beginDataOut(PreparedCommand p, ScsiCommand c, IoParameters io) throws DataOutProblem {
        this.prepared = p;
        this.need = p.dataOutLength();
        this.buffer = p.buffer();
        ByteBuf imm = c.data();
        int immLen = imm.readableBytes();
        if (immLen > 0 && !io.immediateData()) {
            throw new DataOutProblem(RejectReason.PROTOCOL_ERROR, "immediate data with ImmediateData=No");
        }
        if (immLen > Math.min(io.firstBurstLength(), io.targetMaxRecvDataSegmentLength()) || immLen > edtl) {
            throw new DataOutProblem(RejectReason.PROTOCOL_ERROR, "immediate data of " + immLen + " bytes exceeds FirstBurstLength/EDTL");
        }
        if (!c.fin() && io.initialR2T()) {
            throw new DataOutProblem(RejectReason.PROTOCOL_ERROR, "unsolicited Data-Out announced with InitialR2T=Yes");
        }
        store(0, imm, immLen);
        unsolicitedNext = immLen;
        unsolicitedLimit = io.initialR2T() ? immLen : (int) Math.min(io.firstBurstLength(), edtl);
        unsolicitedDone = c.fin();
    }

    /** Takes one Data-Out PDU; returns the R2T state it completed or null. */
    void onDataOut(DataOut d) throws DataOutProblem {
        int len = d.data().readableBytes();
        int off = d.bufferOffset();
        if (d.ttt() == Pdu.RESERVED_TAG) {
            if (unsolicitedDone) {
                throw new DataOutProblem(RejectReason.PROTOCOL_ERROR, "unsolicited Data-Out after the first burst ended");
            }
            if (d.dataSN() != unsolicitedDataSn) {
                throw new DataOutProblem(RejectReason.PROTOCOL_ERROR, "DataSN " + d.dataSN() + ", expected " + unsolicitedDataSn);
            }
            if (off != unsolicitedNext || (long) off + len > unsolicitedLimit) {
                throw new DataOutProblem(RejectReason.PROTOCOL_ERROR, "unsolicited Data-Out at offset " + off + "+" + len
                        + " (expected " + unsolicitedNext + ", first burst ends at " + unsolicitedLimit + ")");
            }
            store(off, d.data(), len);
            unsolicitedNext += len;
            unsolicitedDataSn++;
            if (d.fin() || unsolicitedNext == unsolicitedLimit) {
                unsolicitedDone = true;
            }
            return;
        }
        R2tState r = null;
        for (R2tState s : outstanding) {
            if (s.ttt == d.ttt()) {
                r = s;
                break;
            }
        }
        if (r == null) {
            throw new DataOutProblem(RejectReason.INVALID_PDU_FIELD, "Data-Out with unknown TTT 0x" + Integer.toHexString(d.ttt()));
        }
        if (d.dataSN() != r.expectedDataSn) {
            throw new DataOutProblem(RejectReason.PROTOCOL_ERROR, "DataSN " + d.dataSN() + " in R2T burst " + r.r2tSn
                    + ", expected " + r.expectedDataSn);
        }
        if (off != r.offset + r.received || r.received + len > r.length) {
            throw new DataOutProblem(RejectReason.PROTOCOL_ERROR, "Data-Out at offset " + off + "+" + len
                    + " outside R2T [" + r.offset + ", +" + r.length + ") at " + r.received);
        }
        store(off, d.data(), len);
        r.received += len;
        r.expectedDataSn++;
        if (d.fin() && !r.complete()) {
            throw new DataOutProblem(RejectReason.PROTOCOL_ERROR, "F bit before the R2T burst was complete");
        }
        if (r.complete()) {
            outstanding.remove(r);
        }
    }

    private void store(int offset, ByteBuf data, int len) {
        int usable = Math.max(0, Math.min(len, need - offset));
        if (usable > 0 && buffer != null) {
            buffer.writeFrom(offset, data, usable);
            dataOutBytes += usable;
        }
    }

    /**
     * The R2Ts to send now: once the unsolicited burst is over, solicit the rest in bursts of at
     * most MaxBurstLength, keeping at most MaxOutstandingR2T outstanding.
     */
    List<R2tState> nextR2ts(IoParameters io, TargetTransferTags tags, int sessionBudget) {
        if (!unsolicitedDone) {
            return List.of();
        }
        if (r2tNextOffset < 0) {
            r2tNextOffset = unsolicitedNext;
        }
        List<R2tState> l = null;
        int budget = sessionBudget;
        while (budget-- > 0 && outstanding.size() < io.maxOutstandingR2T() && r2tNextOffset < need) {
            int len = Math.min(io.maxBurstLength(), need - r2tNextOffset);
            R2tState s = new R2tState(tags.next(), r2tSnNext++, r2tNextOffset, len);
            r2tNextOffset += len;
            outstanding.add(s);
            r2tsSent++;
            if (l == null) {
                l = new ArrayList<>(2);
            }
            l.add(s);
        }
        return l == null ? List.of() : l;
    }

    /** Whether the task would send another R2T now if its session allowed one more. */
    boolean wantsR2t(IoParameters io) {
        int next = r2tNextOffset < 0 ? unsolicitedNext : r2tNextOffset;
        return unsolicitedDone && outstanding.size() < io.maxOutstandingR2T() && next < need;
    }

    /** R2Ts sent and not yet answered by their whole burst. */
    int outstandingR2ts() {
        return outstanding.size();
    }

    /** Every solicited byte has arrived and the unsolicited burst has ended. */
    boolean dataOutComplete() {
        return unsolicitedDone && outstanding.isEmpty() && Math.max(r2tNextOffset, unsolicitedNext) >= need;
    }

    /** The Data-Out buffer, to release when the task dies before submission. */
    HostBuffer buffer() {
        return buffer;
    }
}
