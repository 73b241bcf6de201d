package io.vhba.emulator.fuzz;

import io.vhba.emulator.iscsi.codec.Crc32cDigest;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Raw initiator PDUs as bytes (RFC 7143 §11.2), built field by field so that a fuzzer can keep some
 * fields right (framing, digests, CmdSN) and leave the rest to the mutator.
 */
public final class Frames {
    public static final int BHS = 48;

    /** Opcodes (§11.2.1.2). */
    public static final int NOP_OUT = 0x00, SCSI_COMMAND = 0x01, TMF = 0x02, LOGIN = 0x03, TEXT = 0x04, DATA_OUT = 0x05,
            LOGOUT = 0x06, SNACK = 0x10;

    private Frames() {}

    /**
     * Frames a header and segments: TotalAHSLength and DataSegmentLength are set from {@code ahs} and
     * {@code data}, padding added, digests appended when on. {@code bhs} is changed in place (bytes 4-7).
     */
    public static byte[] frame(byte[] bhs, byte[] ahs, byte[] data, boolean headerDigest, boolean dataDigest) {
        int ahsLength = ahs.length & ~3;
        bhs[4] = (byte) (ahsLength / 4);
        bhs[5] = (byte) (data.length >>> 16);
        bhs[6] = (byte) (data.length >>> 8);
        bhs[7] = (byte) data.length;
        return raw(bhs, ahs, ahsLength, data, headerDigest, dataDigest);
    }

    /** As {@link #frame} but with bytes 4-7 left as they are: lengths may lie. */
    public static byte[] raw(byte[] bhs, byte[] ahs, int ahsLength, byte[] data, boolean headerDigest, boolean dataDigest) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(BHS + ahsLength + data.length + 12);
        out.write(bhs, 0, BHS);
        out.write(ahs, 0, ahsLength);
        if (headerDigest) {
            Crc32cDigest d = new Crc32cDigest().reset().update(bhs, 0, BHS).update(ahs, 0, ahsLength);
            writeIntLe(out, d.value());
        }
        if (data.length > 0) {
            int padding = (4 - (data.length & 3)) & 3;
            out.write(data, 0, data.length);
            out.write(new byte[padding], 0, padding);
            if (dataDigest) {
                Crc32cDigest d = new Crc32cDigest().reset().update(data, 0, data.length).updatePadding(padding);
                writeIntLe(out, d.value());
            }
        }
        return out.toByteArray();
    }

    private static void writeIntLe(ByteArrayOutputStream out, int v) {
        out.write(v);
        out.write(v >>> 8);
        out.write(v >>> 16);
        out.write(v >>> 24);
    }

    public static ByteBuffer header(byte[] bhs) {
        return ByteBuffer.wrap(bhs).order(ByteOrder.BIG_ENDIAN);
    }

    /** A Login Request (§11.12) with its text; ISID 0x80 OUI-format, TSIH 0, CID 0. */
    public static byte[] login(int csg, int nsg, boolean transit, boolean cont, long isid, int itt, int cmdSn, int expStatSn,
                        String text) {
        byte[] bhs = new byte[BHS];
        ByteBuffer h = header(bhs);
        h.put(0, (byte) (0x40 | LOGIN));
        h.put(1, (byte) ((transit ? 0x80 : 0) | (cont ? 0x40 : 0) | (csg & 3) << 2 | (nsg & 3)));
        h.putLong(8, isid << 16); // ISID in bytes 8-13, TSIH 14-15 = 0
        h.putInt(16, itt);
        h.putInt(24, cmdSn);
        h.putInt(28, expStatSn);
        return frame(bhs, new byte[0], text.getBytes(StandardCharsets.UTF_8), false, false);
    }

    /** A NOP-Out ping with the I bit (§11.18): answered by a NOP-In with the same ITT, CmdSN not advanced. */
    public static byte[] ping(int itt, int cmdSn, int expStatSn, boolean headerDigest) {
        byte[] bhs = new byte[BHS];
        ByteBuffer h = header(bhs);
        h.put(0, (byte) (0x40 | NOP_OUT));
        h.put(1, (byte) 0x80);
        h.putInt(16, itt);
        h.putInt(20, -1);
        h.putInt(24, cmdSn);
        h.putInt(28, expStatSn);
        return frame(bhs, new byte[0], new byte[0], headerDigest, false);
    }

    /**
     * Cuts a recorded initiator stream into whole PDUs (header, AHS, padded data), without digests; stops at
     * the first PDU that does not fit.
     */
    public static java.util.List<byte[]> split(byte[] s) {
        java.util.List<byte[]> l = new java.util.ArrayList<>();
        int at = 0;
        while (at + BHS <= s.length) {
            int ahsLength = (s[at + 4] & 0xFF) * 4;
            int length = (s[at + 5] & 0xFF) << 16 | (s[at + 6] & 0xFF) << 8 | s[at + 7] & 0xFF;
            int next = at + BHS + ahsLength + ((length + 3) & ~3);
            if (next > s.length) {
                break;
            }
            l.add(java.util.Arrays.copyOfRange(s, at, next));
            at = next;
        }
        return l;
    }

    /** NUL-terminated key=value pairs (§6.1). */
    public static String text(String... pairs) {
        StringBuilder s = new StringBuilder();
        for (String p : pairs) {
            s.append(p).append('\0');
        }
        return s.toString();
    }
}
