package io.vhba.emulator.iscsi.pdu;

import io.netty.buffer.ByteBuf;

/** Login Response (RFC 7143 §11.13). Status class/detail per §11.13.5. */
public record LoginResponse(boolean transit, boolean cont, int csg, int nsg, int versionMax, int versionActive,
                            long isid, int tsih, int itt, int statSN, int expCmdSN, int maxCmdSN, int statusClass,
                            int statusDetail, ByteBuf data) implements TargetPdu {
    @Override
    public Opcode opcode() {
        return Opcode.LOGIN_RESPONSE;
    }
}
