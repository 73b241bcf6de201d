package io.vhba.emulator.iscsi.pdu;

import io.netty.buffer.ByteBuf;

/**
 * SCSI Response (RFC 7143 §11.4). The data segment holds SenseLength (2 bytes) and the sense
 * data when status is CHECK CONDITION (§11.4.7).
 *
 * @param response 0x00 command completed at target, 0x01 target failure
 * @param overflow the O bit: residualCount bytes were not transferred for lack of buffer
 * @param underflow the U bit: residualCount bytes of the buffer were not used
 */
public record ScsiResponse(boolean bidiOverflow, boolean bidiUnderflow, boolean overflow, boolean underflow,
                           int response, int status, int itt, int snackTag, int statSN, int expCmdSN, int maxCmdSN,
                           int expDataSN, int bidiReadResidualCount, int residualCount, ByteBuf data)
        implements TargetPdu {
    @Override
    public Opcode opcode() {
        return Opcode.SCSI_RESPONSE;
    }
}
