package io.vhba.emulator.iscsi.codec;

import io.netty.buffer.ByteBuf;

import java.util.Arrays;

/**
 * The Additional Header Segments of one PDU (RFC 7143 §11.2.2). Only the SCSI Command carries
 * them, with the two types iSCSI defines: the Extended CDB (the CDB bytes after the 16th that fit
 * in the BHS) and the Bidirectional Read Expected Data Transfer Length.
 *
 * <p>Each AHS is AHSLength (2 bytes), AHSType (1 byte, bits 0-5), then AHSLength bytes of
 * AHS-specific content, padded to a multiple of 4 bytes. AHSLength excludes the type, the length
 * and the padding.
 *
 * @param extendedCdb             the CDB bytes beyond the 16th; empty when there is no Extended CDB AHS
 * @param bidirectionalReadLength the bidirectional read EDTL, -1 when there is no such AHS
 *                                (the convention of {@link io.vhba.emulator.iscsi.pdu.ScsiCommand})
 */
record AdditionalHeaders(byte[] extendedCdb, int bidirectionalReadLength) {

    static final AdditionalHeaders NONE = new AdditionalHeaders(new byte[0], -1);

    /** TotalAHSLength is one byte counting 4-byte words (§11.2.1.4). */
    static final int MAX_TOTAL_LENGTH = 255 * 4;

    /** The BHS holds the first 16 CDB bytes (§11.3.5). */
    static final int BHS_CDB_LENGTH = 16;

    /** AHSType codes (§11.2.2.2); 0 and 3-59 are reserved, 60-63 are non-iSCSI extensions. */
    enum Type {
        /** §11.2.2.3: AHSLength = CDB length - 15 (one reserved byte, then the CDB bytes after the 16th). */
        EXTENDED_CDB(1),
        /** §11.2.2.4: AHSLength = 5 (one reserved byte, then the 4-byte length). */
        BIDIRECTIONAL_READ_EXPECTED_DATA_TRANSFER_LENGTH(2);

        final int code;

        Type(int code) {
            this.code = code;
        }
    }

    private static final int TYPE_MASK = 0x3F;
    private static final int BIDI_AHS_LENGTH = 5;
    /** AHSLength, AHSType and the reserved byte that every iSCSI-defined AHS starts with. */
    private static final int PREFIX = 4;

    /** The AHS for a whole CDB (split at 16 bytes) and a bidirectional read EDTL (-1 for none). */
    static AdditionalHeaders of(byte[] cdb, int bidirectionalReadLength) {
        byte[] extended = cdb.length > BHS_CDB_LENGTH ? Arrays.copyOfRange(cdb, BHS_CDB_LENGTH, cdb.length) : NONE.extendedCdb;
        return extended.length == 0 && bidirectionalReadLength == -1
                ? NONE : new AdditionalHeaders(extended, bidirectionalReadLength);
    }

    /** The whole CDB: the 16 bytes of the BHS followed by the extension. */
    byte[] cdb(byte[] bhsCdb) {
        byte[] cdb = Arrays.copyOf(bhsCdb, bhsCdb.length + extendedCdb.length);
        System.arraycopy(extendedCdb, 0, cdb, bhsCdb.length, extendedCdb.length);
        return cdb;
    }

    /** Bytes on the wire, padding included; a multiple of 4. */
    int encodedLength() {
        int length = 0;
        if (extendedCdb.length > 0) {
            length += padded(PREFIX + extendedCdb.length);
        }
        if (bidirectionalReadLength != -1) {
            length += PREFIX + 4;
        }
        return length;
    }

    void writeTo(ByteBuf out) {
        if (extendedCdb.length > 0) {
            out.writeShort(1 + extendedCdb.length);
            out.writeByte(Type.EXTENDED_CDB.code);
            out.writeByte(0);
            out.writeBytes(extendedCdb);
            out.writeZero(padding(PREFIX + extendedCdb.length));
        }
        if (bidirectionalReadLength != -1) {
            out.writeShort(BIDI_AHS_LENGTH);
            out.writeByte(Type.BIDIRECTIONAL_READ_EXPECTED_DATA_TRANSFER_LENGTH.code);
            out.writeByte(0);
            out.writeInt(bidirectionalReadLength);
        }
    }

    /**
     * Parses the AHS bytes (TotalAHSLength * 4 of them). A segment that overruns the total, a
     * length wrong for its type, or a type given twice is {@link PduDefect#BAD_AHS}; a type we do
     * not know is {@link PduDefect#UNKNOWN_AHS_TYPE}.
     */
    static AdditionalHeaders parse(byte[] ahs) throws HeaderDefectException {
        byte[] extended = null;
        int bidi = -1;
        boolean bidiSeen = false;
        String unknownType = null;
        int pos = 0;
        while (pos < ahs.length) {
            if (ahs.length - pos < PREFIX) {
                throw new HeaderDefectException(PduDefect.BAD_AHS, "AHS truncated at offset " + pos);
            }
            int length = ((ahs[pos] & 0xFF) << 8) | (ahs[pos + 1] & 0xFF);
            int type = ahs[pos + 2] & TYPE_MASK;
            int size = padded(3 + length);
            if (size > ahs.length - pos) {
                throw new HeaderDefectException(PduDefect.BAD_AHS, "AHSLength " + length + " at offset " + pos
                        + " overruns TotalAHSLength " + ahs.length + " bytes");
            }
            if (type == Type.EXTENDED_CDB.code) {
                if (length < 2 || extended != null) {
                    throw new HeaderDefectException(PduDefect.BAD_AHS,
                            extended != null ? "two Extended CDB AHS" : "Extended CDB AHSLength " + length);
                }
                extended = Arrays.copyOfRange(ahs, pos + PREFIX, pos + 3 + length);
            } else if (type == Type.BIDIRECTIONAL_READ_EXPECTED_DATA_TRANSFER_LENGTH.code) {
                if (length != BIDI_AHS_LENGTH || bidiSeen) {
                    throw new HeaderDefectException(PduDefect.BAD_AHS,
                            bidiSeen ? "two Bidirectional Read EDTL AHS" : "Bidirectional Read EDTL AHSLength " + length);
                }
                bidi = ((ahs[pos + 4] & 0xFF) << 24) | ((ahs[pos + 5] & 0xFF) << 16)
                        | ((ahs[pos + 6] & 0xFF) << 8) | (ahs[pos + 7] & 0xFF);
                bidiSeen = true;
            } else if (unknownType == null) {
                // Keep walking: a later overrun is fatal and must win over this.
                unknownType = "AHSType " + type + " at offset " + pos;
            }
            pos += size;
        }
        if (unknownType != null) {
            throw new HeaderDefectException(PduDefect.UNKNOWN_AHS_TYPE, unknownType);
        }
        return new AdditionalHeaders(extended == null ? NONE.extendedCdb : extended, bidi);
    }

    /** Padding bytes after a segment of {@code length} bytes (§11.1: PDUs are padded to 4-byte words). */
    static int padding(int length) {
        return -length & 3;
    }

    static int padded(int length) {
        return length + padding(length);
    }
}
