package io.vhba.emulator.iscsi.pdu;

import io.netty.buffer.ByteBuf;

/** Text Response (RFC 7143 §11.11). */
public record TextResponse(boolean fin, boolean cont, long lun, int itt, int ttt, int statSN, int expCmdSN,
                           int maxCmdSN, ByteBuf data) implements TargetPdu {
    @Override
    public Opcode opcode() {
        return Opcode.TEXT_RESPONSE;
    }
}
