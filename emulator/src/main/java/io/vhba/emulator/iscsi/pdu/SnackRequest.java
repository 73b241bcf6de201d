package io.vhba.emulator.iscsi.pdu;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/** SNACK Request (RFC 7143 §11.16). Type: 0 Data/R2T, 1 Status, 2 DataACK, 3 R-Data. */
public record SnackRequest(int type, long lun, int itt, int ttt, int expStatSN, int begRun, int runLength)
        implements InitiatorPdu {
    @Override
    public Opcode opcode() {
        return Opcode.SNACK_REQUEST;
    }

    @Override
    public boolean immediate() {
        return false;
    }

    @Override
    public ByteBuf data() {
        return Unpooled.EMPTY_BUFFER;
    }
}
