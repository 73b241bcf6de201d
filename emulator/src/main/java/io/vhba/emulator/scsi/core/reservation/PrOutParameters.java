package io.vhba.emulator.scsi.core.reservation;

/**
 * A PERSISTENT RESERVE OUT parameter list: the basic form (SPC-4 6.16.3, 24 bytes) or the
 * REGISTER AND MOVE form (SPC-4 6.16.4, 24 bytes plus a TransportID).
 */
record PrOutParameters(long reservationKey, long serviceActionKey, boolean specIPt, boolean allTgPt, boolean aptpl,
                       boolean unreg, int relativeTargetPortId, byte[] params, int transportIdLength) {
    static final int BASIC_LENGTH = 24;
    /** Byte offsets, for the field pointer of INVALID FIELD IN PARAMETER LIST. */
    static final int FLAGS = 20;
    static final int MOVE_FLAGS = 17;
    static final int MOVE_RELATIVE_TARGET_PORT = 18;
    static final int MOVE_TRANSPORT_ID = 24;

    /** The basic list, or null when PARAMETER LIST LENGTH is not 24 (SPC-4 6.16.3: SPEC_I_PT is not supported). */
    static PrOutParameters basic(byte[] b, long listLength) {
        if (listLength != BASIC_LENGTH || b.length < BASIC_LENGTH) {
            return null;
        }
        int flags = b[FLAGS] & 0xFF;
        return new PrOutParameters(u64(b, 0), u64(b, 8), (flags & 0x08) != 0, (flags & 0x04) != 0, (flags & 0x01) != 0,
                false, 0, b, 0);
    }

    /** The REGISTER AND MOVE list, or null when the list is shorter than its TransportID says. */
    static PrOutParameters registerAndMove(byte[] b, long listLength) {
        if (listLength < MOVE_TRANSPORT_ID || b.length < MOVE_TRANSPORT_ID || listLength != b.length) {
            return null;
        }
        long tidLength = ((b[20] & 0xFFL) << 24) | ((b[21] & 0xFF) << 16) | ((b[22] & 0xFF) << 8) | (b[23] & 0xFF);
        if (MOVE_TRANSPORT_ID + tidLength > listLength) {
            return null;
        }
        int flags = b[MOVE_FLAGS] & 0xFF;
        int rtpi = ((b[MOVE_RELATIVE_TARGET_PORT] & 0xFF) << 8) | (b[MOVE_RELATIVE_TARGET_PORT + 1] & 0xFF);
        return new PrOutParameters(u64(b, 0), u64(b, 8), false, false, (flags & 0x01) != 0, (flags & 0x02) != 0, rtpi, b,
                (int) tidLength);
    }

    private static long u64(byte[] b, int o) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (b[o + i] & 0xFF);
        }
        return v;
    }
}
