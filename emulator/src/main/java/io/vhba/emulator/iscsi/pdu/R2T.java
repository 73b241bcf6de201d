package io.vhba.emulator.iscsi.pdu;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/** Ready To Transfer (RFC 7143 §11.8). */
public record R2T(long lun, int itt, int ttt, int statSN, int expCmdSN, int maxCmdSN, int r2tSN, int bufferOffset,
                  int desiredDataTransferLength) implements TargetPdu {
    @Override
    public Opcode opcode() {
        return Opcode.R2T;
    }

    @Override
    public ByteBuf data() {
        return Unpooled.EMPTY_BUFFER;
    }
}
