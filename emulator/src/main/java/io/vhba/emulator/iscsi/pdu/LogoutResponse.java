package io.vhba.emulator.iscsi.pdu;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/** Logout Response (RFC 7143 §11.15). Response: 0 closed, 1 CID not found, 2 recovery not supported, 3 cleanup failed. */
public record LogoutResponse(int response, int itt, int statSN, int expCmdSN, int maxCmdSN, int time2Wait,
                             int time2Retain) implements TargetPdu {
    @Override
    public Opcode opcode() {
        return Opcode.LOGOUT_RESPONSE;
    }

    @Override
    public ByteBuf data() {
        return Unpooled.EMPTY_BUFFER;
    }
}
