package io.vhba.emulator.iscsi.session;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.vhba.emulator.iscsi.codec.IscsiPduEncoder;
import io.vhba.emulator.iscsi.pdu.Pdu;

/** The Reject data segment: the complete 48-byte header of the rejected PDU (RFC 7143 §11.17.4). */
final class RejectedHeader {
    private static final int BHS = 48;
    private static final IscsiPduEncoder ENCODER = new IscsiPduEncoder();

    private RejectedHeader() {}

    /** Re-encodes {@code pdu}'s header; the PDU's data reference stays with the caller. */
    static ByteBuf of(Pdu pdu) {
        ByteBuf full = ENCODER.encode(UnpooledByteBufAllocator.DEFAULT, pdu);
        try {
            ByteBuf h = Unpooled.buffer(BHS);
            h.writeBytes(full, full.readerIndex(), BHS);
            // The lengths describe the rejected PDU, not this copy; keep them as they were sent.
            return h;
        } finally {
            full.release();
        }
    }

    /** The header bytes the decoder captured from a malformed PDU. */
    static ByteBuf of(byte[] bhs) {
        return Unpooled.wrappedBuffer(bhs.clone());
    }
}
