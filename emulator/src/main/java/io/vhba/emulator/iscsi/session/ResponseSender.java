package io.vhba.emulator.iscsi.session;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.vhba.emulator.iscsi.pdu.DataIn;
import io.vhba.emulator.iscsi.pdu.Pdu;
import io.vhba.emulator.iscsi.pdu.ScsiResponse;
import io.vhba.emulator.platform.HostBuffer;
import io.vhba.emulator.scsi.core.CommandOutcome;
import io.vhba.miniport.scsi.ScsiStatus;

/**
 * Sends a command's Data-In and status (RFC 7143 §11.4, §11.7): Data-In PDUs no larger than
 * the initiator's MaxRecvDataSegmentLength, the F bit closing each sequence of at most
 * MaxBurstLength, status in the last Data-In when it is GOOD without sense (the S bit), else a
 * SCSI Response; residuals exact per §11.4.5. Data-In payloads are views of host memory, not copies; each view holds
 * its pages until Netty has written it ({@link HostBuffer#retainedView}), so no write listener is needed.
 */
final class ResponseSender {
    private ResponseSender() {}

    /** Residual of one command as the transport sees it. */
    record Residual(boolean overflow, boolean underflow, int count) {
        static final Residual NONE = new Residual(false, false, 0);

        static Residual of(long wanted, long expected) {
            if (wanted > expected) {
                return new Residual(true, false, (int) Math.min(0xFFFF_FFFFL, wanted - expected));
            }
            if (wanted < expected) {
                return new Residual(false, true, (int) Math.min(0xFFFF_FFFFL, expected - wanted));
            }
            return NONE;
        }
    }

    static void respond(ConnectionIo io, IoParameters params, CmdSnWindow window, IscsiTask t, CommandOutcome o) {
        HostBuffer data = o.dataIn();
        int produced = data == null ? 0 : o.dataInLength();
        int sendLen = t.read ? (int) Math.min(produced, t.edtl) : 0;
        Residual residual;
        if (t.read && !t.write) {
            residual = Residual.of(produced, t.edtl);
        } else if (t.write) {
            residual = Residual.of(o.dataOutWanted(), t.edtl);
        } else {
            residual = Residual.of(0, t.edtl);
        }
        boolean statusInData = sendLen > 0 && o.status() == ScsiStatus.GOOD && o.sense() == null;
        int mrdsl = params.initiatorMaxRecvDataSegmentLength();
        int mbl = params.maxBurstLength();
        int off = 0;
        int dataSn = 0;
        int burst = 0;
        while (off < sendLen) {
            int n = Math.min(Math.min(mrdsl, sendLen - off), mbl - burst);
            boolean last = off + n == sendLen;
            burst += n;
            boolean endOfSequence = last || burst == mbl;
            if (endOfSequence) {
                burst = 0;
            }
            boolean s = last && statusInData;
            ByteBuf view = data.retainedView(off, n); // its pages go back when the write is done with them
            // Without the S bit, bytes 24-27 are "StatSN or Reserved" (RFC 7143 §11.7): zero, as jSCSI checks.
            DataIn pdu = new DataIn(endOfSequence, false, s && residual.overflow(), s && residual.underflow(), s,
                    s ? o.status().code() : 0, t.lunField, t.itt, Pdu.RESERVED_TAG,
                    s ? io.nextStatSn() : 0, window.expCmdSn(), window.maxCmdSn(), dataSn++, off,
                    s ? residual.count() : 0, view);
            io.send(pdu);
            off += n;
        }
        t.dataInPdus = dataSn;
        if (!statusInData) {
            io.send(new ScsiResponse(false, false, residual.overflow(), residual.underflow(), 0, o.status().code(), t.itt,
                    0, io.nextStatSn(), window.expCmdSn(), window.maxCmdSn(), t.read ? dataSn : t.r2tsSent, 0,
                    residual.count(), senseSegment(o.sense())));
        }
        t.meters.responded(t.read, t.write, t.startNanos, sendLen, t.dataOutBytes, o.status(), o.sense());
        o.release();
        io.flushSoon();
    }

    /** The SCSI Response data segment: SenseLength then the sense bytes (§11.4.7.2). */
    static ByteBuf senseSegment(byte[] sense) {
        if (sense == null || sense.length == 0) {
            return Unpooled.EMPTY_BUFFER;
        }
        ByteBuf b = Unpooled.buffer(2 + sense.length);
        b.writeShort(sense.length);
        b.writeBytes(sense);
        return b;
    }
}
