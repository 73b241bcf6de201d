package io.vhba.miniport.scsi;

import java.util.Arrays;

/**
 * Fixed-format sense data (SPC-4 4.5.3, response code 0x70 current / 0x71 deferred).
 * Immutable; {@link #toBytes()} gives the 18 bytes on the wire.
 *
 * @param senseKey   the sense key
 * @param sense      the additional sense code and qualifier
 * @param information the INFORMATION field (bytes 3..6), meaningful when {@code valid}
 * @param valid      the VALID bit: INFORMATION holds a defined value (for example the failing LBA)
 * @param senseKeySpecific the 3-byte sense-key-specific field (bytes 15..17), or 0 when absent (SKSV clear)
 */
public record SenseData(SenseKey senseKey, AdditionalSense sense, long information, boolean valid, int senseKeySpecific) {

    /** The length of fixed-format sense data with 10 additional bytes. */
    public static final int FIXED_LENGTH = 18;

    public static SenseData of(SenseKey key, AdditionalSense sense) {
        return new SenseData(key, sense, 0, false, 0);
    }

    /** Sense with a defined INFORMATION field, for example the LBA of a medium error. */
    public static SenseData withInformation(SenseKey key, AdditionalSense sense, long information) {
        return new SenseData(key, sense, information, true, 0);
    }

    /**
     * ILLEGAL REQUEST / INVALID FIELD IN CDB with the field pointer (SPC-4 4.5.2.4.2):
     * SKSV set, C/D set (the error is in the CDB), bit pointer valid when {@code bit >= 0}.
     */
    public static SenseData invalidFieldInCdb(int byteOffset, int bit) {
        int sks = 0x80_0000 | 0x40_0000 | (byteOffset & 0xFFFF);
        if (bit >= 0) {
            sks |= 0x08_0000 | ((bit & 7) << 16);
        }
        return new SenseData(SenseKey.ILLEGAL_REQUEST, AdditionalSense.INVALID_FIELD_IN_CDB, 0, false, sks);
    }

    /** ILLEGAL REQUEST / INVALID FIELD IN PARAMETER LIST with the field pointer (C/D clear). */
    public static SenseData invalidFieldInParameterList(int byteOffset, int bit) {
        int sks = 0x80_0000 | (byteOffset & 0xFFFF);
        if (bit >= 0) {
            sks |= 0x08_0000 | ((bit & 7) << 16);
        }
        return new SenseData(SenseKey.ILLEGAL_REQUEST, AdditionalSense.INVALID_FIELD_IN_PARAMETER_LIST, 0, false, sks);
    }

    /** The 18-byte fixed-format encoding. */
    public byte[] toBytes() {
        byte[] b = new byte[FIXED_LENGTH];
        writeTo(b, 0);
        return b;
    }

    /** Writes the 18-byte encoding at {@code offset}. */
    public void writeTo(byte[] b, int offset) {
        Arrays.fill(b, offset, offset + FIXED_LENGTH, (byte) 0);
        b[offset] = (byte) ((valid ? 0x80 : 0) | 0x70);
        b[offset + 2] = (byte) senseKey.code();
        b[offset + 3] = (byte) (information >>> 24);
        b[offset + 4] = (byte) (information >>> 16);
        b[offset + 5] = (byte) (information >>> 8);
        b[offset + 6] = (byte) information;
        b[offset + 7] = (byte) (FIXED_LENGTH - 8);
        b[offset + 12] = (byte) sense.asc();
        b[offset + 13] = (byte) sense.ascq();
        b[offset + 15] = (byte) (senseKeySpecific >>> 16);
        b[offset + 16] = (byte) (senseKeySpecific >>> 8);
        b[offset + 17] = (byte) senseKeySpecific;
    }

    /** Decodes fixed-format sense data; ASC/ASCQ pairs unknown to {@link AdditionalSense} are rejected. */
    public static SenseData parse(byte[] b, int offset, int length) {
        if (length < 14 || (b[offset] & 0x7E) != 0x70) {
            throw new IllegalArgumentException("not fixed-format sense data");
        }
        SenseKey key = SenseKey.of(b[offset + 2]);
        int asc = b[offset + 12] & 0xFF;
        int ascq = b[offset + 13] & 0xFF;
        AdditionalSense sense = null;
        for (AdditionalSense s : AdditionalSense.values()) {
            if (s.asc() == asc && s.ascq() == ascq) {
                sense = s;
                break;
            }
        }
        if (sense == null) {
            throw new IllegalArgumentException(String.format("unknown ASC/ASCQ %02X/%02X", asc, ascq));
        }
        long info = ((b[offset + 3] & 0xFFL) << 24) | ((b[offset + 4] & 0xFFL) << 16)
                | ((b[offset + 5] & 0xFFL) << 8) | (b[offset + 6] & 0xFFL);
        int sks = length >= 18 ? ((b[offset + 15] & 0xFF) << 16) | ((b[offset + 16] & 0xFF) << 8) | (b[offset + 17] & 0xFF) : 0;
        return new SenseData(key, sense, info, (b[offset] & 0x80) != 0, sks);
    }
}
