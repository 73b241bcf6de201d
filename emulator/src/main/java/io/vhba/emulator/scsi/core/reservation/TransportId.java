package io.vhba.emulator.scsi.core.reservation;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The iSCSI TransportID (SPC-4 7.6.4.6): PROTOCOL IDENTIFIER 5h; FORMAT CODE 00b names an
 * initiator device, 01b an initiator port as {@code name,i,0x<ISID>}, the same string as
 * {@link io.vhba.emulator.scsi.core.ItNexus#initiatorPortName()}. The name is null-terminated and
 * padded to a multiple of four bytes, at least 20.
 */
public final class TransportId {
    static final int PROTOCOL_ISCSI = 5;
    static final int FORMAT_DEVICE = 0;
    static final int FORMAT_PORT = 1;
    private static final String SEPARATOR = ",i,0x";

    /** A TransportID that does not parse, with the offset of the offending byte in it. */
    public static final class Invalid extends Exception {
        private final int offset;

        Invalid(int offset, String message) {
            super(message);
            this.offset = offset;
        }

        public int offset() {
            return offset;
        }
    }

    private TransportId() {}

    /** The format 01b TransportID of an initiator port name ({@code name,i,0x<ISID>}). */
    public static byte[] encodePort(String initiatorPortName) {
        byte[] name = initiatorPortName.getBytes(StandardCharsets.UTF_8);
        int padded = Math.max(20, (name.length + 1 + 3) & ~3);
        byte[] b = new byte[4 + padded];
        b[0] = (byte) (FORMAT_PORT << 6 | PROTOCOL_ISCSI);
        b[2] = (byte) (padded >> 8);
        b[3] = (byte) padded;
        System.arraycopy(name, 0, b, 4, name.length);
        return b;
    }

    /** The length of the TransportID at {@code offset}, from its ADDITIONAL LENGTH field. */
    public static int length(byte[] b, int offset) {
        return 4 + (((b[offset + 2] & 0xFF) << 8) | (b[offset + 3] & 0xFF));
    }

    /**
     * The initiator port name a format 01b TransportID names, normalised to the form of
     * {@code ItNexus} (lower-case 12-digit ISID).
     */
    public static String decodePort(byte[] b, int offset, int length) throws Invalid {
        if (length < 24 || length > b.length - offset) {
            throw new Invalid(2, "TransportID length " + length + " is invalid");
        }
        if ((b[offset] & 0x0F) != PROTOCOL_ISCSI) {
            throw new Invalid(0, "PROTOCOL IDENTIFIER " + (b[offset] & 0x0F) + " is not iSCSI");
        }
        if ((b[offset] >> 6 & 3) != FORMAT_PORT) {
            throw new Invalid(0, "FORMAT CODE " + (b[offset] >> 6 & 3) + " does not name an initiator port");
        }
        int end = offset + 4;
        while (end < offset + length && b[end] != 0) {
            end++;
        }
        if (end == offset + length) {
            throw new Invalid(4, "iSCSI name is not null-terminated");
        }
        String s = new String(b, offset + 4, end - offset - 4, StandardCharsets.UTF_8);
        int sep = s.toLowerCase(Locale.ROOT).lastIndexOf(SEPARATOR);
        if (sep <= 0) {
            throw new Invalid(4, "no ',i,0x' separator in '" + s + "'");
        }
        long isid;
        String hex = s.substring(sep + SEPARATOR.length());
        if (hex.isEmpty() || hex.length() > 12) {
            throw new Invalid(4 + sep, "ISID '" + hex + "' is not 1 to 12 hexadecimal digits");
        }
        try {
            isid = Long.parseLong(hex, 16);
        } catch (NumberFormatException e) {
            throw new Invalid(4 + sep, "ISID '" + hex + "' is not hexadecimal");
        }
        return String.format("%s,i,0x%012x", s.substring(0, sep), isid);
    }
}
