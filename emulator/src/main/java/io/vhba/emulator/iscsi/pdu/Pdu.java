package io.vhba.emulator.iscsi.pdu;

import io.netty.buffer.ByteBuf;

/**
 * One iSCSI PDU. Initiator PDUs implement {@link InitiatorPdu}, target PDUs {@link TargetPdu}.
 * Every PDU has a data segment, empty when absent ({@link io.netty.buffer.Unpooled#EMPTY_BUFFER}).
 */
public sealed interface Pdu permits InitiatorPdu, TargetPdu {

    /** Reserved tag value 0xFFFFFFFF (RFC 7143 §11.2.1.8, §11.18.2). */
    int RESERVED_TAG = 0xFFFFFFFF;

    Opcode opcode();

    /** The Initiator Task Tag (bytes 16-19 of the BHS). */
    int itt();

    /** The data segment; the PDU owns one reference. */
    ByteBuf data();

    /** Releases the data segment. */
    default void release() {
        data().release();
    }
}
