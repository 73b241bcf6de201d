package io.vhba.emulator.scsi.disk;

import io.vhba.hw.ScsiCommand;
import io.vhba.hw.ScsiResult;

/** READ and WRITE (6), (10), (12), (16) (SBC-4 5.15 to 5.18, 5.41 to 5.44). */
final class ReadWriteCommands {

    private ReadWriteCommands() {}

    /**
     * Streams the blocks to the host. The buffer may be shorter than the transfer length (the target core clips it
     * to the iSCSI expected length): the device sends what fits. DPO and FUA are accepted; a read has no cache of this
     * device's own to bypass, so FUA reads the store as every read does.
     */
    static ScsiResult read(Disk d, DiskCommand entry, ScsiCommand c) {
        byte[] cdb = c.cdb();
        long lba = entry.layout.lba(cdb);
        long count = entry.layout.length(cdb);
        d.checkTransferLength(count, entry.layout.lengthOffset);
        d.checkRange(lba, count);
        if (count == 0) { // SBC-4: a TRANSFER LENGTH of zero transfers nothing and is not an error
            return ScsiResult.good(0);
        }
        try (RangeLock.Held held = d.locks.lock(lba, count, RangeLock.Mode.SHARED)) {
            return ScsiResult.good(d.readToHost(c, lba, count));
        }
    }

    /**
     * Writes the whole blocks the Data-Out buffer holds: when the initiator sent less than the transfer length,
     * only those blocks are written and {@code transferred} says how many bytes were taken (libiscsi
     * iSCSIResiduals). FUA forces the store before GOOD, as does a disabled write cache.
     */
    static ScsiResult write(Disk d, DiskCommand entry, ScsiCommand c) {
        byte[] cdb = c.cdb();
        long lba = entry.layout.lba(cdb);
        long count = entry.layout.length(cdb);
        d.checkTransferLength(count, entry.layout.lengthOffset);
        d.checkRange(lba, count);
        if (count == 0) {
            return ScsiResult.good(0);
        }
        boolean fua = entry.layout != LbaLayout.SIX && Bytes.bit(cdb, 1, 3);
        long whole = Math.min(count, Disk.dataOutLength(c) / d.blockSize);
        if (whole > 0) {
            try (RangeLock.Held held = d.locks.lock(lba, whole, RangeLock.Mode.SHARED)) {
                d.writeFromHost(c, 0, lba, whole);
            }
        }
        d.completeWrite(fua);
        return ScsiResult.good((int) (whole * d.blockSize));
    }
}
