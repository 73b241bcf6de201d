package io.vhba.emulator.scsi.core;

/** The 8-byte LUN field (SAM-5 4.7): single-level peripheral (00b) or flat space (01b) addressing. */
public final class LunAddress {
    private LunAddress() {}

    /** The LUN a single-level LUN field addresses, or -1 for any other form. */
    public static int decode(long field) {
        if ((field & 0x0000_FFFF_FFFF_FFFFL) != 0) {
            return -1; // second to fourth levels must be zero for a single-level LUN
        }
        int b0 = (int) (field >>> 56) & 0xFF;
        int b1 = (int) (field >>> 48) & 0xFF;
        return switch (b0 >>> 6) {
            case 0 -> (b0 & 0x3F) == 0 ? b1 : -1; // peripheral device addressing, bus 0
            case 1 -> ((b0 & 0x3F) << 8) | b1;     // flat space addressing
            default -> -1;
        };
    }
}
