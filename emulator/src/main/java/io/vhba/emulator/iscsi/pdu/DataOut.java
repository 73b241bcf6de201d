package io.vhba.emulator.iscsi.pdu;

import io.netty.buffer.ByteBuf;

/** SCSI Data-Out (RFC 7143 §11.7). TTT is 0xFFFFFFFF for unsolicited data. */
public record DataOut(boolean fin, long lun, int itt, int ttt, int expStatSN, int dataSN, int bufferOffset,
                      ByteBuf data) implements InitiatorPdu {
    @Override
    public Opcode opcode() {
        return Opcode.DATA_OUT;
    }

    @Override
    public boolean immediate() {
        return false;
    }
}
