package io.vhba.emulator.scsi.disk;

/**
 * The mode pages of the disk with their default values and changeable masks. Pages are kept whole (byte 0 page code
 * without the PS bit, byte 1 page length); the changeable mask has the same header so MODE SENSE with PC=01b can send
 * it as is.
 */
enum ModePage {
    /**
     * Caching (SBC-4 6.5.5): WCE (byte 2 bit 2) changeable and savable, default on. Writes with WCE=1 may sit in the
     * store's volatile cache until SYNCHRONIZE CACHE or FUA; with WCE=0 every write is forced before GOOD.
     */
    CACHING(0x08, 20, true, new int[] {2, 0x04}, new int[] {2, 0x04}),
    /**
     * Control (SPC-4 7.5.8): TST=000b, GLTSD=1 (no log parameters are saved), QUEUE ALGORITHM MODIFIER=1 (commands
     * may be reordered; this device runs them in parallel), QERR=00b, D_SENSE=0 (fixed-format sense only). SWP
     * (byte 4 bit 3) changeable and savable.
     */
    CONTROL(0x0A, 12, true, new int[] {2, 0x02, 3, 0x10}, new int[] {4, 0x08}),
    /** Informational Exceptions Control (SPC-4 7.5.12): DEXCPT=1, MRIE=0; nothing to report, nothing changeable. */
    INFORMATIONAL_EXCEPTIONS_CONTROL(0x1C, 12, false, new int[] {2, 0x08}, new int[0]);

    /** The page code asking MODE SENSE for every page (SPC-4 6.13). */
    static final int ALL_PAGES = 0x3F;

    final int code;
    /** Total bytes including the two-byte header. */
    final int length;
    final boolean savable;
    private final byte[] defaults;
    private final byte[] changeable;

    ModePage(int code, int length, boolean savable, int[] defaultBits, int[] changeableBits) {
        this.code = code;
        this.length = length;
        this.savable = savable;
        this.defaults = page(code, length, defaultBits);
        this.changeable = page(code, length, changeableBits);
    }

    static ModePage of(int code) {
        for (ModePage p : values()) {
            if (p.code == code) {
                return p;
            }
        }
        return null;
    }

    byte[] defaults() {
        return defaults.clone();
    }

    byte[] changeable() {
        return changeable.clone();
    }

    boolean isChangeable(int index, int bits) {
        return (changeable[index] & bits) == (bits & 0xFF);
    }

    /** Keeps {@code base} except where the page is changeable, which comes from {@code update}. */
    byte[] merge(byte[] base, byte[] update) {
        byte[] out = base.clone();
        for (int i = 2; i < length; i++) {
            out[i] = (byte) ((base[i] & ~changeable[i]) | (update[i] & changeable[i]));
        }
        return out;
    }

    private static byte[] page(int code, int length, int[] bits) {
        byte[] p = new byte[length];
        p[0] = (byte) code;
        p[1] = (byte) (length - 2);
        for (int i = 0; i < bits.length; i += 2) {
            p[bits[i]] |= (byte) bits[i + 1];
        }
        return p;
    }
}
