package io.vhba.emulator.iscsi.codec;

import io.vhba.emulator.iscsi.pdu.Opcode;

/** Which end of the connection sent a PDU; a decoder accepts the opcodes of one of them (RFC 7143 §11.2.1.2). */
public enum PduOrigin {
    /** Initiator opcodes 0x00-0x1f; decoded by the target. */
    INITIATOR(0x1C),
    /** Target opcodes 0x20-0x3f; decoded by our test initiators. */
    TARGET(0x3C);

    private final int firstVendorSpecific;

    PduOrigin(int firstVendorSpecific) {
        this.firstVendorSpecific = firstVendorSpecific;
    }

    public boolean sends(Opcode opcode) {
        return opcode.isInitiator() == (this == INITIATOR);
    }

    /** True for this sender's vendor-specific opcodes: 0x1c-0x1e for initiators, 0x3c-0x3e for targets. */
    boolean vendorSpecific(int code) {
        return code >= firstVendorSpecific && code <= firstVendorSpecific + 2;
    }
}
