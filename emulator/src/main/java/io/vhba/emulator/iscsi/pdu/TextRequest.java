package io.vhba.emulator.iscsi.pdu;

import io.netty.buffer.ByteBuf;

/** Text Request (RFC 7143 §11.10). */
public record TextRequest(boolean immediate, boolean fin, boolean cont, long lun, int itt, int ttt, int cmdSN,
                          int expStatSN, ByteBuf data) implements InitiatorPdu {
    @Override
    public Opcode opcode() {
        return Opcode.TEXT_REQUEST;
    }
}
