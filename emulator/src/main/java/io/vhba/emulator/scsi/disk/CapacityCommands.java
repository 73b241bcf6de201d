package io.vhba.emulator.scsi.disk;

import io.vhba.hw.ScsiCommand;
import io.vhba.hw.ScsiResult;

/** READ CAPACITY(10)/(16) (SBC-4 5.20, 5.21). */
final class CapacityCommands {

    private CapacityCommands() {}

    /** READ CAPACITY(10): the LAST logical block address, FFFFFFFFh when it does not fit (SBC-4 5.20.2). */
    static ScsiResult readCapacity10(Disk d, DiskCommand entry, ScsiCommand c) {
        byte[] cdb = c.cdb();
        checkObsoletePmi(Bytes.u32(cdb, 2), Bytes.bit(cdb, 8, 0), 2);
        byte[] b = new byte[8];
        long last = d.blocks() - 1;
        Bytes.put32(b, 0, Math.min(last, 0xFFFF_FFFFL));
        Bytes.put32(b, 4, d.blockSize);
        return ScsiResult.good(Disk.sendDataIn(c, b, b.length, b.length));
    }

    /** READ CAPACITY(16) parameter data (SBC-4 5.21.2), 32 bytes. */
    static ScsiResult readCapacity16(Disk d, DiskCommand entry, ScsiCommand c) {
        byte[] cdb = c.cdb();
        checkObsoletePmi(Bytes.u64(cdb, 2), Bytes.bit(cdb, 14, 0), 2);
        long allocation = Bytes.u32(cdb, 10);
        byte[] b = new byte[32];
        Bytes.put64(b, 0, d.blocks() - 1);
        Bytes.put32(b, 8, d.blockSize);
        // byte 12: P_TYPE / PROT_EN 0 (no protection information)
        b[13] = (byte) d.config.geometry().physicalBlockExponent(); // P_I_EXPONENT 0, LBPPBE
        if (d.config.thinProvisioning()) {
            b[14] = (byte) 0xC0; // LBPME, LBPRZ; LOWEST ALIGNED LOGICAL BLOCK ADDRESS 0
        }
        return ScsiResult.good(Disk.sendDataIn(c, b, b.length, allocation));
    }

    /**
     * The LOGICAL BLOCK ADDRESS and PMI fields are obsolete in SBC-4; SBC-3 made a non-zero LBA with PMI=0 an error.
     * With PMI=1 the answer is the same last LBA: no LBA of this medium is followed by a substantial delay.
     */
    private static void checkObsoletePmi(long lba, boolean pmi, int lbaOffset) {
        if (!pmi && lba != 0) {
            throw CheckCondition.invalidField(lbaOffset, -1);
        }
    }
}
