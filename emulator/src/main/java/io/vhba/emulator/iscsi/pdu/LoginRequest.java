package io.vhba.emulator.iscsi.pdu;

import io.netty.buffer.ByteBuf;

/**
 * Login Request (RFC 7143 §11.12). The I bit is always 1 on the wire.
 *
 * @param transit the T bit: the initiator is ready to move to {@code nsg}
 * @param cont    the C bit: the text continues in the next PDU
 * @param csg     current stage: 0 security, 1 operational
 * @param nsg     next stage: 1 operational, 3 full feature phase
 * @param isid    the 48-bit ISID
 */
public record LoginRequest(boolean transit, boolean cont, int csg, int nsg, int versionMax, int versionMin,
                           long isid, int tsih, int itt, int cid, int cmdSN, int expStatSN, ByteBuf data)
        implements InitiatorPdu {
    @Override
    public Opcode opcode() {
        return Opcode.LOGIN_REQUEST;
    }

    @Override
    public boolean immediate() {
        return true;
    }
}
