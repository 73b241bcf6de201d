package io.vhba.emulator.iscsi.pdu;

import io.netty.buffer.ByteBuf;

/** NOP-Out (RFC 7143 §11.18). ITT 0xFFFFFFFF when it answers a NOP-In (then TTT echoes the NOP-In's). */
public record NopOut(boolean immediate, long lun, int itt, int ttt, int cmdSN, int expStatSN, ByteBuf data)
        implements InitiatorPdu {
    @Override
    public Opcode opcode() {
        return Opcode.NOP_OUT;
    }
}
