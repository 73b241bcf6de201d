package io.vhba.emulator.fault;

import java.util.HashMap;
import java.util.Map;

/**
 * The blocks a CDB touches, for the medium-error fault: READ, WRITE, WRITE AND VERIFY and
 * VERIFY in their 6/10/12/16-byte forms (SBC-4 5), as a table of where each keeps its LBA and
 * transfer length.
 *
 * @param lba    the first logical block
 * @param blocks how many (a READ(6)/WRITE(6) length of 0 means 256, SBC-4 5.13)
 * @param write  whether the medium is written (WRITE ERROR) rather than read (UNRECOVERED READ ERROR)
 */
record BlockAccess(long lba, long blocks, boolean write) {

    /** Field layout of one opcode: offsets and widths in bytes of LBA and TRANSFER LENGTH. */
    private record Layout(int lbaOffset, int lbaBytes, int lengthOffset, int lengthBytes, boolean write) {}

    private static final Map<Integer, Layout> LAYOUTS = new HashMap<>();

    static {
        LAYOUTS.put(0x08, new Layout(1, 3, 4, 1, false)); // READ(6): 21-bit LBA
        LAYOUTS.put(0x0A, new Layout(1, 3, 4, 1, true));  // WRITE(6)
        LAYOUTS.put(0x28, new Layout(2, 4, 7, 2, false)); // READ(10)
        LAYOUTS.put(0x2A, new Layout(2, 4, 7, 2, true));  // WRITE(10)
        LAYOUTS.put(0x2E, new Layout(2, 4, 7, 2, true));  // WRITE AND VERIFY(10)
        LAYOUTS.put(0x2F, new Layout(2, 4, 7, 2, false)); // VERIFY(10)
        LAYOUTS.put(0xA8, new Layout(2, 4, 6, 4, false)); // READ(12)
        LAYOUTS.put(0xAA, new Layout(2, 4, 6, 4, true));  // WRITE(12)
        LAYOUTS.put(0xAE, new Layout(2, 4, 6, 4, true));  // WRITE AND VERIFY(12)
        LAYOUTS.put(0xAF, new Layout(2, 4, 6, 4, false)); // VERIFY(12)
        LAYOUTS.put(0x88, new Layout(2, 8, 10, 4, false)); // READ(16)
        LAYOUTS.put(0x8A, new Layout(2, 8, 10, 4, true));  // WRITE(16)
        LAYOUTS.put(0x8E, new Layout(2, 8, 10, 4, true));  // WRITE AND VERIFY(16)
        LAYOUTS.put(0x8F, new Layout(2, 8, 10, 4, false)); // VERIFY(16)
    }

    /** The access {@code cdb} makes, or null for a command that touches no blocks this way. */
    static BlockAccess of(byte[] cdb, int cdbLength) {
        if (cdbLength < 1) {
            return null;
        }
        int op = cdb[0] & 0xFF;
        Layout l = LAYOUTS.get(op);
        if (l == null || cdbLength < l.lengthOffset + l.lengthBytes) {
            return null;
        }
        long lba = field(cdb, l.lbaOffset, l.lbaBytes);
        long blocks = field(cdb, l.lengthOffset, l.lengthBytes);
        if (l.lbaBytes == 3) {
            lba &= 0x1F_FFFF;
            blocks = blocks == 0 ? 256 : blocks;
        }
        return new BlockAccess(lba, blocks, l.write);
    }

    private static long field(byte[] b, int off, int n) {
        long v = 0;
        for (int i = 0; i < n; i++) {
            v = (v << 8) | (b[off + i] & 0xFF);
        }
        return v;
    }
}
