package io.vhba.emulator.iscsi.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.vhba.emulator.iscsi.pdu.Opcode;
import io.vhba.emulator.iscsi.pdu.Pdu;

import java.util.List;

/**
 * Turns a byte stream into {@link Pdu} records (RFC 7143 §11.2), or {@link MalformedPdu} where a
 * PDU cannot be accepted. Constructed for one direction: a target decodes {@link PduOrigin#INITIATOR}
 * PDUs, a test initiator {@link PduOrigin#TARGET} PDUs.
 *
 * <p>The header is validated in full before the decoder waits for the data segment: opcode known
 * and of the right direction, DataSegmentLength within the current MaxRecvDataSegmentLength, an AHS
 * only where the RFC defines one, the header digest. So a peer announcing a 16 MiB data segment is
 * answered as soon as its 48-byte header has arrived.
 *
 * <p>After a fatal defect ({@link MalformedPdu#closeConnection()}) the framing is lost and the
 * decoder discards everything that follows. After any other defect it skips the rest of the PDU
 * and carries on. The data segment of a record is a retained slice of the received bytes (no copy);
 * whoever consumes the record releases it.
 *
 * <p>{@link #headerDigest(boolean)}, {@link #dataDigest(boolean)} and
 * {@link #maxRecvDataSegmentLength(int)} take effect from the next PDU boundary. Call them on the
 * channel's event loop; a handler may call them while it handles a PDU, and the PDU after it is
 * decoded with the new settings even if its bytes have already arrived, because the decoder emits
 * one PDU per {@code decode} call and Netty passes it on before decoding the next.
 */
public final class IscsiPduDecoder extends ByteToMessageDecoder {

    /** MaxRecvDataSegmentLength: the default applies during login (§13.12); the key ranges 512 to 2^24-1. */
    public static final int DEFAULT_MAX_RECV_DATA_SEGMENT_LENGTH = 8192;
    public static final int MIN_MAX_RECV_DATA_SEGMENT_LENGTH = 512;

    /** Where the decoder is within the PDU. */
    enum State {
        READ_BHS,
        READ_AHS,
        READ_HEADER_DIGEST,
        READ_DATA,
        READ_DATA_DIGEST,
        /** Skipping the segments of a PDU answered with a non-fatal {@link MalformedPdu}. */
        SKIP_DATA,
        /** After a fatal defect: framing is lost, all input is dropped. */
        DISCARD
    }

    private final PduOrigin origin;
    private final Crc32cDigest digest = new Crc32cDigest();
    private final byte[] bhsBytes = new byte[Bhs.LENGTH];
    private final Bhs bhs = new Bhs(Unpooled.wrappedBuffer(bhsBytes), 0);

    // Settings, and the snapshot of them that applies to the PDU being decoded.
    private boolean headerDigest;
    private boolean dataDigest;
    private int maxRecvDataSegmentLength = DEFAULT_MAX_RECV_DATA_SEGMENT_LENGTH;
    private boolean pduHeaderDigest;
    private boolean pduDataDigest;
    private int pduMaxRecvDataSegmentLength;

    // The PDU being decoded.
    private State state = State.READ_BHS;
    private int totalAhsLength;
    private int dataSegmentLength;
    private static final byte[] NO_AHS = new byte[0];

    private byte[] ahsBytes = NO_AHS;
    private PduFormat<?> format;
    private AdditionalHeaders additionalHeaders;
    private ByteBuf data;
    private int expectedDataDigest;
    private int skipRemaining;

    public IscsiPduDecoder(PduOrigin origin) {
        this.origin = origin;
    }

    public PduOrigin origin() {
        return origin;
    }

    /** Whether each header is followed by a CRC32C header digest (HeaderDigest=CRC32C, §13.1). */
    public IscsiPduDecoder headerDigest(boolean on) {
        this.headerDigest = on;
        return this;
    }

    /** Whether each non-empty data segment is followed by a CRC32C data digest (DataDigest=CRC32C, §13.1). */
    public IscsiPduDecoder dataDigest(boolean on) {
        this.dataDigest = on;
        return this;
    }

    /** The largest data segment accepted, as this side declared it (§13.12); 512 to 16777215. */
    public IscsiPduDecoder maxRecvDataSegmentLength(int length) {
        if (length < MIN_MAX_RECV_DATA_SEGMENT_LENGTH || length > Bhs.MAX_DATA_SEGMENT_LENGTH) {
            throw new IllegalArgumentException("MaxRecvDataSegmentLength " + length + " outside 512..16777215");
        }
        this.maxRecvDataSegmentLength = length;
        return this;
    }

    public boolean headerDigest() {
        return headerDigest;
    }

    public boolean dataDigest() {
        return dataDigest;
    }

    public int maxRecvDataSegmentLength() {
        return maxRecvDataSegmentLength;
    }

    /** The decoder's position; visible for tests. */
    State state() {
        return state;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        for (;;) {
            switch (state) {
                case READ_BHS -> {
                    if (in.readableBytes() < Bhs.LENGTH) {
                        return;
                    }
                    startPdu(in);
                }
                case READ_AHS -> {
                    if (in.readableBytes() < totalAhsLength) {
                        return;
                    }
                    ahsBytes = new byte[totalAhsLength];
                    in.readBytes(ahsBytes);
                    state = State.READ_HEADER_DIGEST;
                }
                case READ_HEADER_DIGEST -> {
                    if (pduHeaderDigest) {
                        if (in.readableBytes() < Crc32cDigest.LENGTH) {
                            return;
                        }
                        int received = Crc32cDigest.read(in);
                        // §11.2.3: the header digest covers the BHS and the AHS.
                        int computed = digest.reset().update(bhsBytes, 0, Bhs.LENGTH)
                                .update(ahsBytes, 0, ahsBytes.length).value();
                        if (received != computed) {
                            reject(out, PduDefect.HEADER_DIGEST_ERROR, String.format(
                                    "header digest 0x%08x, computed 0x%08x", received, computed));
                            return;
                        }
                    }
                    if (headerComplete(out)) {
                        return;
                    }
                }
                case READ_DATA -> {
                    int padded = AdditionalHeaders.padded(dataSegmentLength);
                    if (in.readableBytes() < padded) {
                        return;
                    }
                    if (pduDataDigest) {
                        // §11.2.3: the data digest covers the data segment and its padding.
                        expectedDataDigest = digest.reset().update(in, in.readerIndex(), padded).value();
                    }
                    data = in.readRetainedSlice(dataSegmentLength);
                    in.skipBytes(padded - dataSegmentLength);
                    if (!pduDataDigest) {
                        emit(out, data);
                        return;
                    }
                    state = State.READ_DATA_DIGEST;
                }
                case READ_DATA_DIGEST -> {
                    if (in.readableBytes() < Crc32cDigest.LENGTH) {
                        return;
                    }
                    int received = Crc32cDigest.read(in);
                    if (received != expectedDataDigest) {
                        // §7.8: discard the PDU and answer with a Reject (Data-Digest-Error).
                        data.release();
                        data = null;
                        reject(out, PduDefect.DATA_DIGEST_ERROR, String.format(
                                "%d-byte data segment: digest 0x%08x, computed 0x%08x",
                                dataSegmentLength, received, expectedDataDigest));
                        return;
                    }
                    emit(out, data);
                    return;
                }
                case SKIP_DATA -> {
                    int skip = Math.min(skipRemaining, in.readableBytes());
                    in.skipBytes(skip);
                    skipRemaining -= skip;
                    if (skipRemaining > 0) {
                        return;
                    }
                    state = State.READ_BHS;
                }
                case DISCARD -> {
                    in.skipBytes(in.readableBytes());
                    return;
                }
                default -> throw new IllegalStateException(state.toString());
            }
        }
    }

    /** Reads the BHS and fixes this PDU's settings. */
    private void startPdu(ByteBuf in) {
        pduHeaderDigest = headerDigest;
        pduDataDigest = dataDigest;
        pduMaxRecvDataSegmentLength = maxRecvDataSegmentLength;
        in.readBytes(bhsBytes);
        totalAhsLength = bhs.u8(Bhs.TOTAL_AHS_LENGTH) * 4;
        dataSegmentLength = bhs.u24(Bhs.DATA_SEGMENT_LENGTH);
        ahsBytes = NO_AHS;
        format = null;
        additionalHeaders = AdditionalHeaders.NONE;
        state = totalAhsLength > 0 ? State.READ_AHS : State.READ_HEADER_DIGEST;
    }

    /**
     * Validates the complete header (BHS, AHS, digest checked). Returns true when it emitted
     * something: a {@link MalformedPdu}, or a PDU without data segment.
     */
    private boolean headerComplete(List<Object> out) {
        try {
            validateHeader();
        } catch (HeaderDefectException e) {
            reject(out, e.defect(), e.getMessage());
            return true;
        }
        if (dataSegmentLength == 0) {
            emit(out, Unpooled.EMPTY_BUFFER);
            return true;
        }
        state = State.READ_DATA;
        return false;
    }

    private void validateHeader() throws HeaderDefectException {
        // Fatal first: a length we will not honour means we cannot find the next PDU either.
        if (dataSegmentLength > pduMaxRecvDataSegmentLength) {
            throw new HeaderDefectException(PduDefect.DATA_SEGMENT_TOO_LONG, "DataSegmentLength " + dataSegmentLength
                    + " exceeds MaxRecvDataSegmentLength " + pduMaxRecvDataSegmentLength);
        }
        int code = bhs.u8(Bhs.OPCODE) & Bhs.OPCODE_MASK;
        Opcode opcode = Opcode.of(code);
        if (opcode == null) {
            throw origin.vendorSpecific(code)
                    ? new HeaderDefectException(PduDefect.VENDOR_SPECIFIC_OPCODE, opcodeText(code) + " is vendor specific")
                    : new HeaderDefectException(PduDefect.RESERVED_OPCODE, opcodeText(code) + " is reserved");
        }
        if (!origin.sends(opcode)) {
            throw new HeaderDefectException(PduDefect.WRONG_DIRECTION,
                    opcodeText(code) + " (" + opcode + ") is not sent by the " + origin.name().toLowerCase());
        }
        PduFormat<?> f = PduFormats.of(opcode);
        if (totalAhsLength > 0) {
            if (!f.segments().ahs) {
                throw new HeaderDefectException(PduDefect.UNEXPECTED_AHS,
                        opcode + " with TotalAHSLength " + totalAhsLength / 4);
            }
            additionalHeaders = AdditionalHeaders.parse(ahsBytes);
        }
        if (dataSegmentLength > 0 && !f.segments().data) {
            throw new HeaderDefectException(PduDefect.UNEXPECTED_DATA,
                    opcode + " with DataSegmentLength " + dataSegmentLength);
        }
        format = f;
    }

    private void emit(List<Object> out, ByteBuf segment) {
        data = null;
        state = State.READ_BHS;
        try {
            out.add(format.read(bhs, additionalHeaders, segment));
        } catch (RuntimeException e) {
            segment.release();
            throw e;
        }
    }

    private void reject(List<Object> out, PduDefect defect, String detail) {
        out.add(new MalformedPdu(defect, bhsBytes, bhs.i32(Bhs.ITT), detail));
        if (defect.closesConnection()) {
            state = State.DISCARD;
            return;
        }
        // The header was read in full; skip whatever of data segment, padding and data digest is still to come.
        boolean dataStillAhead = state != State.READ_DATA_DIGEST;
        skipRemaining = dataStillAhead && dataSegmentLength > 0
                ? AdditionalHeaders.padded(dataSegmentLength) + (pduDataDigest ? Crc32cDigest.LENGTH : 0)
                : 0;
        state = skipRemaining > 0 ? State.SKIP_DATA : State.READ_BHS;
    }

    private static String opcodeText(int code) {
        return String.format("opcode 0x%02x", code);
    }

    @Override
    protected void handlerRemoved0(ChannelHandlerContext ctx) {
        if (data != null) {
            data.release();
            data = null;
        }
    }
}
