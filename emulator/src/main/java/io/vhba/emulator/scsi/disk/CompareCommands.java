package io.vhba.emulator.scsi.disk;

import io.vhba.hw.ScsiCommand;
import io.vhba.hw.ScsiResult;
import io.vhba.miniport.scsi.AdditionalSense;
import io.vhba.miniport.scsi.SenseData;
import io.vhba.miniport.scsi.SenseKey;

/** VERIFY, WRITE AND VERIFY (10/12/16) and COMPARE AND WRITE (SBC-4 5.3, 5.33 to 5.35, 5.45 to 5.47). */
final class CompareCommands {

    private CompareCommands() {}

    /** MISCOMPARE / MISCOMPARE DURING VERIFY OPERATION with the offset of the first unequal byte in INFORMATION. */
    static CheckCondition miscompare(long offset) {
        return new CheckCondition(SenseData.withInformation(SenseKey.MISCOMPARE,
                AdditionalSense.MISCOMPARE_DURING_VERIFY_OPERATION, offset));
    }

    /**
     * VERIFY: BYTCHK 00b reads the blocks back (medium verification), 01b compares each block with the Data-Out
     * buffer, 11b compares every block with the single block sent; 10b is reserved. Only the whole blocks the
     * buffer holds are compared, as for a write.
     */
    static ScsiResult verify(Disk d, DiskCommand entry, ScsiCommand c) {
        byte[] cdb = c.cdb();
        long lba = entry.layout.lba(cdb);
        long count = entry.layout.length(cdb);
        int bytchk = (Bytes.u8(cdb, 1) >>> 1) & 0x03;
        if (bytchk == 0b10) {
            throw CheckCondition.invalidField(1, 2);
        }
        if (bytchk == 0b01) {
            d.checkTransferLength(count, entry.layout.lengthOffset);
        }
        d.checkRange(lba, count);
        if (count == 0) {
            return ScsiResult.good(0);
        }
        try (RangeLock.Held held = d.lock(lba, count, RangeLock.Mode.SHARED)) {
            switch (bytchk) {
                case 0b00:
                    d.verifyMedium(lba, count);
                    return ScsiResult.good(0);
                case 0b01: {
                    long whole = Math.min(count, Disk.dataOutLength(c) / d.blockSize);
                    long at = d.compareWithHost(c, 0, lba, whole);
                    if (at >= 0) {
                        throw miscompare(at);
                    }
                    return ScsiResult.good((int) (whole * d.blockSize));
                }
                default: { // 11b: one block, compared with every block of the range
                    if (Disk.dataOutLength(c) < d.blockSize) {
                        return ScsiResult.good(0);
                    }
                    for (long i = 0; i < count; i++) {
                        long at = d.compareWithHost(c, 0, lba + i, 1);
                        if (at >= 0) {
                            throw miscompare(i * d.blockSize + at);
                        }
                    }
                    return ScsiResult.good(d.blockSize);
                }
            }
        }
    }

    /**
     * WRITE AND VERIFY: writes the whole blocks sent, verifies them (BYTCHK 00b reads back, 01b compares with the
     * Data-Out buffer), and makes them durable before GOOD whatever the write cache says. The range is held
     * exclusively so the verification sees exactly what was written. The verification reads what the store returns,
     * which the force that follows does not change; forcing last lets it run off the processor
     * ({@link Disk#whenDurable}) after the Data-Out buffer is done with.
     */
    static ScsiResult writeAndVerify(Disk d, DiskCommand entry, ScsiCommand c) {
        byte[] cdb = c.cdb();
        long lba = entry.layout.lba(cdb);
        long count = entry.layout.length(cdb);
        int bytchk = (Bytes.u8(cdb, 1) >>> 1) & 0x03;
        if (bytchk > 0b01) {
            throw CheckCondition.invalidField(1, 2);
        }
        d.checkTransferLength(count, entry.layout.lengthOffset);
        d.checkRange(lba, count);
        if (count == 0) {
            return ScsiResult.good(0);
        }
        long whole = Math.min(count, Disk.dataOutLength(c) / d.blockSize);
        if (whole == 0) {
            return ScsiResult.good(0);
        }
        try (RangeLock.Held held = d.lock(lba, whole, RangeLock.Mode.EXCLUSIVE)) {
            d.writeFromHost(c, 0, lba, whole);
            if (bytchk == 0b01) {
                long at = d.compareWithHost(c, 0, lba, whole);
                if (at >= 0) {
                    throw new CheckCondition(SenseData.withInformation(SenseKey.MISCOMPARE,
                            AdditionalSense.MISCOMPARE_DURING_VERIFY_OPERATION, at), (int) (whole * d.blockSize));
                }
            } else {
                d.verifyMedium(lba, whole);
            }
        }
        return d.whenDurable(ScsiResult.good((int) (whole * d.blockSize)));
    }

    /**
     * COMPARE AND WRITE (SBC-4 5.3): the Data-Out buffer holds the verify data then the write data, NUMBER OF
     * LOGICAL BLOCKS each. Compare and write run under an exclusive lock of the range, so no other command on those
     * blocks, reader or writer, sees or interleaves with a half-done operation. A miscompare writes nothing and
     * reports the offset of the first unequal byte.
     */
    static ScsiResult compareAndWrite(Disk d, DiskCommand entry, ScsiCommand c) {
        byte[] cdb = c.cdb();
        long lba = entry.layout.lba(cdb);
        long count = entry.layout.length(cdb);
        boolean fua = Bytes.bit(cdb, 1, 3);
        if (count > d.config.limits().maxCompareAndWriteLength()) {
            throw CheckCondition.invalidField(13, -1);
        }
        d.checkRange(lba, count);
        int half = (int) (count * d.blockSize);
        // The Data-Out buffer is exactly the verify and the write instance, NUMBER OF LOGICAL BLOCKS each (SBC-4
        // 5.3): a shorter one cannot complete the operation, a longer one (e.g. 256 blocks sent with the 8-bit field
        // wrapped to 0) means the CDB does not say what the initiator meant. Either way nothing is compared or
        // written, and the field pointer names NUMBER OF LOGICAL BLOCKS.
        if (Disk.dataOutLength(c) != 2 * half) {
            throw CheckCondition.invalidField(13, -1);
        }
        if (count == 0) { // SBC-4 5.3: not an error, nothing compared or written
            return ScsiResult.good(0);
        }
        try (RangeLock.Held held = d.lock(lba, count, RangeLock.Mode.EXCLUSIVE)) {
            long at = d.compareWithHost(c, 0, lba, count);
            if (at >= 0) {
                throw miscompare(at);
            }
            d.writeFromHost(c, half, lba, count);
        }
        return d.completeWrite(fua, ScsiResult.good(2 * half));
    }
}
