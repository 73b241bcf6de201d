package io.vhba.emulator.iscsi.pdu;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * SCSI Task Management Function Response (RFC 7143 §11.6).
 *
 * @param response 0 function complete, 1 task does not exist, 2 LUN does not exist, 3 task still allegiant,
 *                 4 task allegiance reassignment not supported, 5 function not supported,
 *                 6 function authorization failed, 255 function rejected
 */
public record TaskManagementResponse(int response, int itt, int statSN, int expCmdSN, int maxCmdSN)
        implements TargetPdu {
    @Override
    public Opcode opcode() {
        return Opcode.TASK_MANAGEMENT_RESPONSE;
    }

    @Override
    public ByteBuf data() {
        return Unpooled.EMPTY_BUFFER;
    }
}
