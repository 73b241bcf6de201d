package io.vhba.emulator.scsi.disk;

/** Big-endian field access on CDBs and parameter data (SPC-4 3.5: all multi-byte fields are big-endian). */
final class Bytes {

    private Bytes() {}

    static int u8(byte[] b, int i) {
        return b[i] & 0xFF;
    }

    static int u16(byte[] b, int i) {
        return ((b[i] & 0xFF) << 8) | (b[i + 1] & 0xFF);
    }

    static int u24(byte[] b, int i) {
        return ((b[i] & 0xFF) << 16) | ((b[i + 1] & 0xFF) << 8) | (b[i + 2] & 0xFF);
    }

    static long u32(byte[] b, int i) {
        return ((long) u16(b, i) << 16) | u16(b, i + 2);
    }

    static long u64(byte[] b, int i) {
        return (u32(b, i) << 32) | u32(b, i + 4);
    }

    /** An unsigned big-endian field of 1 to 8 bytes. */
    static long field(byte[] b, int i, int width) {
        long v = 0;
        for (int k = 0; k < width; k++) {
            v = (v << 8) | (b[i + k] & 0xFF);
        }
        return v;
    }

    static boolean bit(byte[] b, int i, int bit) {
        return (b[i] & (1 << bit)) != 0;
    }

    static void put16(byte[] b, int i, int v) {
        b[i] = (byte) (v >>> 8);
        b[i + 1] = (byte) v;
    }

    static void put24(byte[] b, int i, int v) {
        b[i] = (byte) (v >>> 16);
        put16(b, i + 1, v);
    }

    static void put32(byte[] b, int i, long v) {
        put16(b, i, (int) (v >>> 16));
        put16(b, i + 2, (int) v);
    }

    static void put64(byte[] b, int i, long v) {
        put32(b, i, v >>> 32);
        put32(b, i + 4, v);
    }

    /** Space-padded ASCII (SPC-4 4.4.1), truncated to {@code width}. */
    static void putAscii(byte[] b, int i, int width, String s) {
        for (int k = 0; k < width; k++) {
            b[i + k] = (byte) (k < s.length() ? s.charAt(k) : ' ');
        }
    }

    /** The highest set bit of a non-zero byte value, for a sense-key-specific bit pointer. */
    static int highestBit(int v) {
        return 31 - Integer.numberOfLeadingZeros(v & 0xFF);
    }
}
