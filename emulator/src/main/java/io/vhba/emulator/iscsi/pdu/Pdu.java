package io.vhba.emulator.iscsi.pdu;

import io.netty.buffer.ByteBuf;
import io.netty.util.ReferenceCounted;

/**
 * One iSCSI PDU. Initiator PDUs implement {@link InitiatorPdu}, target PDUs {@link TargetPdu}.
 * Every PDU has a data segment, empty when absent ({@link io.netty.buffer.Unpooled#EMPTY_BUFFER}).
 *
 * <p>A PDU is {@link ReferenceCounted} through its data segment, so Netty itself releases one that
 * no handler consumed: a PDU reaching the tail of a pipeline, one written to a closed channel, one
 * left in an {@code EmbeddedChannel}. Before this, such a PDU was dropped with its retained slice of
 * the receive buffer still counted, and the leak detector saw it last touched in the decoder.
 */
public sealed interface Pdu extends ReferenceCounted permits InitiatorPdu, TargetPdu {

    /** Reserved tag value 0xFFFFFFFF (RFC 7143 §11.2.1.8, §11.18.2). */
    int RESERVED_TAG = 0xFFFFFFFF;

    Opcode opcode();

    /** The Initiator Task Tag (bytes 16-19 of the BHS). */
    int itt();

    /** The data segment; the PDU owns one reference. */
    ByteBuf data();

    @Override
    default int refCnt() {
        return data().refCnt();
    }

    @Override
    default Pdu retain() {
        data().retain();
        return this;
    }

    @Override
    default Pdu retain(int increment) {
        data().retain(increment);
        return this;
    }

    @Override
    default Pdu touch() {
        data().touch();
        return this;
    }

    @Override
    default Pdu touch(Object hint) {
        data().touch(hint);
        return this;
    }

    /** Releases the data segment. */
    @Override
    default boolean release() {
        return data().release();
    }

    @Override
    default boolean release(int decrement) {
        return data().release(decrement);
    }
}
