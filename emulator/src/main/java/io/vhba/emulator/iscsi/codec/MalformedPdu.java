package io.vhba.emulator.iscsi.codec;

import io.netty.buffer.ByteBufUtil;
import io.vhba.emulator.iscsi.pdu.RejectReason;

/**
 * A PDU the decoder rejected, emitted in its place. It holds what a Reject needs (RFC 7143
 * §11.17): the reason and the rejected PDU's header for the data segment.
 *
 * @param defect what is wrong
 * @param bhs    a copy of the 48-byte BHS as received (for a Reject's data segment, §11.17)
 * @param itt    the Initiator Task Tag of the rejected PDU (BHS bytes 16-19)
 * @param detail one line for the log
 */
public record MalformedPdu(PduDefect defect, byte[] bhs, int itt, String detail) {

    public MalformedPdu {
        if (bhs.length != Bhs.LENGTH) {
            throw new IllegalArgumentException("a BHS is 48 bytes, not " + bhs.length);
        }
        bhs = bhs.clone();
    }

    @Override
    public byte[] bhs() {
        return bhs.clone();
    }

    /** The Reject reason code that answers this PDU (§11.17.1). */
    public RejectReason reason() {
        return defect.reason();
    }

    /** True when framing is lost and the connection must be closed; the decoder discards all further input. */
    public boolean closeConnection() {
        return defect.closesConnection();
    }

    /** The six-bit opcode field of the rejected PDU, known or not. */
    public int opcodeCode() {
        return bhs[Bhs.OPCODE] & Bhs.OPCODE_MASK;
    }

    @Override
    public String toString() {
        return "MalformedPdu[" + defect + ", reason=" + reason() + ", close=" + closeConnection()
                + ", itt=0x" + Integer.toHexString(itt) + ", " + detail + ", bhs=" + ByteBufUtil.hexDump(bhs) + "]";
    }
}
