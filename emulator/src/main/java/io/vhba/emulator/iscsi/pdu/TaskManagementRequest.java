package io.vhba.emulator.iscsi.pdu;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * SCSI Task Management Function Request (RFC 7143 §11.5).
 *
 * @param function the function code (§11.5.1): 1 ABORT TASK, 2 ABORT TASK SET, 3 CLEAR ACA, 4 CLEAR TASK SET,
 *                 5 LOGICAL UNIT RESET, 6 TARGET WARM RESET, 7 TARGET COLD RESET, 8 TASK REASSIGN
 */
public record TaskManagementRequest(boolean immediate, int function, long lun, int itt, int referencedTaskTag,
                                    int cmdSN, int expStatSN, int refCmdSN, int expDataSN) implements InitiatorPdu {
    @Override
    public Opcode opcode() {
        return Opcode.TASK_MANAGEMENT_REQUEST;
    }

    @Override
    public ByteBuf data() {
        return Unpooled.EMPTY_BUFFER;
    }
}
