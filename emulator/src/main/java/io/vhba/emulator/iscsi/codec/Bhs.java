package io.vhba.emulator.iscsi.codec;

import io.netty.buffer.ByteBuf;

/**
 * Field access to one 48-byte Basic Header Segment (RFC 7143 §11.2.1), by byte offset as in the
 * RFC's layout diagrams. Multi-byte fields are big-endian (§11.1). Setters check that the value
 * fits its field, so a record holding an impossible value fails to encode instead of corrupting
 * its neighbours.
 */
final class Bhs {
    static final int LENGTH = 48;

    // Fields common to every PDU (§11.2.1).
    static final int OPCODE = 0;
    static final int TOTAL_AHS_LENGTH = 4;
    static final int DATA_SEGMENT_LENGTH = 5;
    static final int ITT = 16;
    static final int OPCODE_MASK = 0x3F;

    /** DataSegmentLength is three bytes (§11.2.1.5). */
    static final int MAX_DATA_SEGMENT_LENGTH = 0xFF_FFFF;

    private final ByteBuf buf;
    private final int base;

    /** A view of the 48 bytes of {@code buf} starting at {@code base}. */
    Bhs(ByteBuf buf, int base) {
        this.buf = buf;
        this.base = base;
    }

    boolean flag(int offset, int mask) {
        return (buf.getUnsignedByte(base + offset) & mask) != 0;
    }

    Bhs flag(int offset, int mask, boolean set) {
        int b = buf.getUnsignedByte(base + offset);
        buf.setByte(base + offset, set ? b | mask : b & ~mask);
        return this;
    }

    /** The bits of one byte selected by a contiguous {@code mask}, shifted down. */
    int bits(int offset, int mask) {
        return (buf.getUnsignedByte(base + offset) & mask) >>> Integer.numberOfTrailingZeros(mask);
    }

    Bhs bits(int offset, int mask, int value) {
        int shift = Integer.numberOfTrailingZeros(mask);
        if ((value & ~(mask >>> shift)) != 0) {
            throw new IllegalArgumentException(
                    "value " + value + " does not fit BHS byte " + offset + " mask 0x" + Integer.toHexString(mask));
        }
        int b = buf.getUnsignedByte(base + offset) & ~mask;
        buf.setByte(base + offset, b | (value << shift));
        return this;
    }

    int u8(int offset) {
        return buf.getUnsignedByte(base + offset);
    }

    Bhs u8(int offset, int value) {
        return bits(offset, 0xFF, value);
    }

    int u16(int offset) {
        return buf.getUnsignedShort(base + offset);
    }

    Bhs u16(int offset, int value) {
        if ((value & ~0xFFFF) != 0) {
            throw new IllegalArgumentException("value " + value + " does not fit the 2-byte field at BHS byte " + offset);
        }
        buf.setShort(base + offset, value);
        return this;
    }

    int u24(int offset) {
        return buf.getUnsignedMedium(base + offset);
    }

    Bhs u24(int offset, int value) {
        if ((value & ~0xFF_FFFF) != 0) {
            throw new IllegalArgumentException("value " + value + " does not fit the 3-byte field at BHS byte " + offset);
        }
        buf.setMedium(base + offset, value);
        return this;
    }

    int i32(int offset) {
        return buf.getInt(base + offset);
    }

    Bhs i32(int offset, int value) {
        buf.setInt(base + offset, value);
        return this;
    }

    /** A 6-byte field such as the ISID (§11.12.5), unsigned. */
    long u48(int offset) {
        return (buf.getUnsignedInt(base + offset) << 16) | buf.getUnsignedShort(base + offset + 4);
    }

    Bhs u48(int offset, long value) {
        if ((value & ~0xFFFF_FFFF_FFFFL) != 0) {
            throw new IllegalArgumentException("value " + value + " does not fit the 6-byte field at BHS byte " + offset);
        }
        buf.setInt(base + offset, (int) (value >>> 16));
        buf.setShort(base + offset + 4, (int) value);
        return this;
    }

    long i64(int offset) {
        return buf.getLong(base + offset);
    }

    Bhs i64(int offset, long value) {
        buf.setLong(base + offset, value);
        return this;
    }

    byte[] bytes(int offset, int length) {
        byte[] b = new byte[length];
        buf.getBytes(base + offset, b);
        return b;
    }

    /** Copies {@code src} to {@code offset}; the field is {@code fieldLength} bytes and keeps zeros after src. */
    Bhs bytes(int offset, int fieldLength, byte[] src) {
        buf.setBytes(base + offset, src, 0, Math.min(fieldLength, src.length));
        return this;
    }
}
