package io.vhba.emulator.iscsi.pdu;

import io.netty.buffer.ByteBuf;

/**
 * SCSI Data-In (RFC 7143 §11.7). With {@code statusPresent} (the S bit) the PDU also carries
 * the command's status, the residual bits and count, and a StatSN (§11.7.3).
 */
public record DataIn(boolean fin, boolean ack, boolean overflow, boolean underflow, boolean statusPresent,
                     int status, long lun, int itt, int ttt, int statSN, int expCmdSN, int maxCmdSN, int dataSN,
                     int bufferOffset, int residualCount, ByteBuf data) implements TargetPdu {
    @Override
    public Opcode opcode() {
        return Opcode.DATA_IN;
    }
}
