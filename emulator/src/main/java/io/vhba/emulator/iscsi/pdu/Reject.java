package io.vhba.emulator.iscsi.pdu;

import io.netty.buffer.ByteBuf;

/**
 * Reject (RFC 7143 §11.17). The data segment is the complete header of the rejected PDU.
 *
 * @param reason see {@link RejectReason}
 * @param dataSN the DataSN/R2TSN for a rejected SNACK, else 0
 */
public record Reject(int reason, int statSN, int expCmdSN, int maxCmdSN, int dataSN, ByteBuf data)
        implements TargetPdu {
    @Override
    public Opcode opcode() {
        return Opcode.REJECT;
    }

    @Override
    public int itt() {
        return RESERVED_TAG;
    }
}
