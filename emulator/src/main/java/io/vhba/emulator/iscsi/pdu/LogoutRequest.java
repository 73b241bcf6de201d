package io.vhba.emulator.iscsi.pdu;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * Logout Request (RFC 7143 §11.14).
 *
 * @param reasonCode 0 close the session, 1 close the connection, 2 remove the connection for recovery
 */
public record LogoutRequest(boolean immediate, int reasonCode, int itt, int cid, int cmdSN, int expStatSN)
        implements InitiatorPdu {
    @Override
    public Opcode opcode() {
        return Opcode.LOGOUT_REQUEST;
    }

    @Override
    public ByteBuf data() {
        return Unpooled.EMPTY_BUFFER;
    }
}
