package io.vhba.emulator.iscsi.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageEncoder;
import io.vhba.emulator.iscsi.pdu.Pdu;

import java.util.List;

/**
 * Writes {@link Pdu} records as iSCSI PDUs (RFC 7143 §11.2): BHS, AHS, optional header digest,
 * data segment, padding, optional data digest.
 *
 * <p>The data segment is never copied. The output is one buffer per PDU: the header alone when
 * there is no data, otherwise a {@link CompositeByteBuf} of the header, a retained slice of the
 * record's data and a trailer with padding and data digest. The digest is computed over the data
 * in place ({@link Crc32cDigest#update(ByteBuf, int, int)}). The record's data reference is released
 * once the frame holds its own (by {@link MessageToMessageEncoder}: a {@link Pdu} is reference counted).
 *
 * <p>Digests switch on and off at run time ({@link #headerDigest(boolean)},
 * {@link #dataDigest(boolean)}); a change applies from the next PDU written. Call the setters on the
 * channel's event loop, as the login handler does right after writing the final Login Response.
 */
public final class IscsiPduEncoder extends MessageToMessageEncoder<Pdu> {

    private final Crc32cDigest digest = new Crc32cDigest();
    private boolean headerDigest;
    private boolean dataDigest;

    public IscsiPduEncoder() {
        super(Pdu.class);
    }

    /** Whether a CRC32C header digest follows the header (HeaderDigest=CRC32C, §13.1). */
    public IscsiPduEncoder headerDigest(boolean on) {
        this.headerDigest = on;
        return this;
    }

    /** Whether a CRC32C data digest follows each non-empty data segment (DataDigest=CRC32C, §13.1). */
    public IscsiPduEncoder dataDigest(boolean on) {
        this.dataDigest = on;
        return this;
    }

    public boolean headerDigest() {
        return headerDigest;
    }

    public boolean dataDigest() {
        return dataDigest;
    }

    /** The record's reference is released by {@link MessageToMessageEncoder} once this returns (a PDU is ReferenceCounted). */
    @Override
    protected void encode(ChannelHandlerContext ctx, Pdu pdu, List<Object> out) {
        out.add(encode(ctx.alloc(), pdu));
    }

    /**
     * Encodes one PDU with the current digest settings. The caller keeps its reference to the
     * record's data (the frame takes its own); useful for writing raw or deliberately corrupted
     * bytes in tests.
     *
     * @throws IllegalArgumentException when a field does not fit the wire format (a data segment over
     *                                  16 MiB - 1, an AHS over 1020 bytes, a value too wide for its field)
     */
    public ByteBuf encode(ByteBufAllocator alloc, Pdu pdu) {
        PduFormat<?> format = PduFormats.of(pdu.opcode());
        ByteBuf data = pdu.data();
        int dataLength = data.readableBytes();
        if (dataLength > Bhs.MAX_DATA_SEGMENT_LENGTH) {
            throw new IllegalArgumentException(pdu.opcode() + ": data segment of " + dataLength
                    + " bytes exceeds the 3-byte DataSegmentLength");
        }
        AdditionalHeaders ahs = format.additionalHeaders(pdu);
        int ahsLength = ahs.encodedLength();
        if (ahsLength > AdditionalHeaders.MAX_TOTAL_LENGTH) {
            throw new IllegalArgumentException(pdu.opcode() + ": AHS of " + ahsLength + " bytes exceeds TotalAHSLength");
        }

        ByteBuf header = alloc.buffer(Bhs.LENGTH + ahsLength + (headerDigest ? Crc32cDigest.LENGTH : 0));
        try {
            int base = header.writerIndex();
            header.writeZero(Bhs.LENGTH);
            Bhs bhs = new Bhs(header, base)
                    .u8(Bhs.OPCODE, pdu.opcode().code())
                    .u8(Bhs.TOTAL_AHS_LENGTH, ahsLength / 4)
                    .u24(Bhs.DATA_SEGMENT_LENGTH, dataLength);
            format.writeFields(pdu, bhs);
            ahs.writeTo(header);
            if (headerDigest) {
                // §11.2.3: the header digest covers the BHS and the AHS.
                Crc32cDigest.write(header, digest.reset().update(header, base, header.writerIndex() - base).value());
            }
            ByteBuf complete = header;
            header = null; // from here on owned by the result
            // §11.2.4: without a data segment there is no padding and no data digest.
            return dataLength == 0 ? complete : frame(alloc, complete, data, dataLength);
        } finally {
            if (header != null) {
                header.release();
            }
        }
    }

    /** Header + data (zero-copy) + padding and data digest. Takes ownership of {@code header}. */
    private CompositeByteBuf frame(ByteBufAllocator alloc, ByteBuf header, ByteBuf data, int dataLength) {
        int padding = AdditionalHeaders.padding(dataLength);
        CompositeByteBuf frame = alloc.compositeBuffer(3);
        try {
            frame.addComponent(true, header);
            header = null;
            frame.addComponent(true, data.retainedSlice());
            int trailerLength = padding + (dataDigest ? Crc32cDigest.LENGTH : 0);
            if (trailerLength > 0) {
                ByteBuf trailer = alloc.buffer(trailerLength);
                trailer.writeZero(padding);
                if (dataDigest) {
                    // §11.2.3: the data digest covers the data segment and its padding.
                    int value = digest.reset().update(data, data.readerIndex(), dataLength).updatePadding(padding).value();
                    Crc32cDigest.write(trailer, value);
                }
                frame.addComponent(true, trailer);
            }
            CompositeByteBuf result = frame;
            frame = null;
            return result;
        } finally {
            if (header != null) {
                header.release();
            }
            if (frame != null) {
                frame.release();
            }
        }
    }
}
