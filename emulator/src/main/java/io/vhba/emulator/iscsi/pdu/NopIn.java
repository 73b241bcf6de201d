package io.vhba.emulator.iscsi.pdu;

import io.netty.buffer.ByteBuf;

/** NOP-In (RFC 7143 §11.19). A target ping has ITT 0xFFFFFFFF and a TTT the initiator echoes. */
public record NopIn(long lun, int itt, int ttt, int statSN, int expCmdSN, int maxCmdSN, ByteBuf data)
        implements TargetPdu {
    @Override
    public Opcode opcode() {
        return Opcode.NOP_IN;
    }
}
