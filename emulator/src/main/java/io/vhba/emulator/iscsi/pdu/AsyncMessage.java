package io.vhba.emulator.iscsi.pdu;

import io.netty.buffer.ByteBuf;

/**
 * Asynchronous Message (RFC 7143 §11.9). AsyncEvent 0 carries SCSI sense data (a unit attention),
 * 1 requests logout, 2 drops a connection, 3 drops all connections, 4 requests renegotiation.
 */
public record AsyncMessage(long lun, int statSN, int expCmdSN, int maxCmdSN, int asyncEvent, int asyncVCode,
                           int parameter1, int parameter2, int parameter3, ByteBuf data) implements TargetPdu {
    @Override
    public Opcode opcode() {
        return Opcode.ASYNC_MESSAGE;
    }

    @Override
    public int itt() {
        return RESERVED_TAG;
    }
}
