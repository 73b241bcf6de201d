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
        try (RangeLock.Held held = d.lock(lba, count, RangeLock.Mode.SHARED)) {
            return ScsiResult.good(d.readToHost(c, lba, count));
        }
    }

    /**
     * Writes the whole blocks the Data-Out buffer holds: when the initiator sent less than the transfer length,
     * only those blocks are written and {@code transferred} says how many bytes were taken (libiscsi
     * iSCSIResiduals). FUA makes the blocks durable before GOOD, as does a disabled write cache (SBC-4 5.41,
     * 6.5.5); on a file store the status then comes from its flush thread ({@link Disk#whenDurable}).
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
            try (RangeLock.Held held = d.lock(lba, whole, RangeLock.Mode.SHARED)) {
                d.writeFromHost(c, 0, lba, whole);
            }
        }
        return d.completeWrite(fua, ScsiResult.good((int) (whole * d.blockSize)));
    }

    /**
     * ORWRITE(16) (SBC-4 5.13): each block becomes the bitwise OR of itself and the Data-Out block. The
     * read-modify-write holds the range exclusively so no other write can slip between the read and the write.
     */
    static ScsiResult orWrite(Disk d, DiskCommand entry, ScsiCommand c) {
        byte[] cdb = c.cdb();
        long lba = entry.layout.lba(cdb);
        long count = entry.layout.length(cdb);
        d.checkTransferLength(count, entry.layout.lengthOffset);
        d.checkRange(lba, count);
        if (count == 0) {
            return ScsiResult.good(0);
        }
        long whole = Math.min(count, Disk.dataOutLength(c) / d.blockSize);
        long total = whole * d.blockSize;
        long pos = lba * d.blockSize;
        try (RangeLock.Held held = d.lock(lba, whole, RangeLock.Mode.EXCLUSIVE)) {
            for (long done = 0; done < total; ) {
                int n = (int) Math.min(Staging.CHUNK, total - done);
                java.nio.ByteBuffer medium = Staging.get().first(n);
                java.nio.ByteBuffer host = Staging.get().second(n);
                d.readMedium(pos + done, medium);
                c.data().readDataOut((int) done, host);
                for (int i = 0; i < n; i++) {
                    medium.put(i, (byte) (medium.get(i) | host.get(i)));
                }
                d.writeMedium(pos + done, medium.flip());
                done += n;
            }
        }
        return d.completeWrite(Bytes.bit(cdb, 1, 3), ScsiResult.good((int) total));
    }

    /**
     * WRITE ATOMIC(16) (SBC-4 5.48): all blocks or none. The write holds its range exclusively, so every other
     * command sees either none or all of it. An atomic write cannot be cut short: a Data-Out buffer shorter than the
     * transfer length is refused (INVALID FIELD IN CDB at the TRANSFER LENGTH) and nothing is written, as is a
     * TRANSFER LENGTH above MAXIMUM ATOMIC TRANSFER LENGTH. There is no alignment or granularity restriction and no
     * atomic boundary support (ATOMIC BOUNDARY must be zero).
     */
    static ScsiResult writeAtomic(Disk d, DiskCommand entry, ScsiCommand c) {
        byte[] cdb = c.cdb();
        long lba = entry.layout.lba(cdb);
        long count = entry.layout.length(cdb);
        d.checkRange(lba, count); // a range past the end is LBA OUT OF RANGE whatever its length (libiscsi BeyondEol)
        if (count > d.config.limits().maxAtomicTransferLength()) {
            throw CheckCondition.invalidField(entry.layout.lengthOffset, -1);
        }
        if (count == 0) {
            return ScsiResult.good(0);
        }
        if (Disk.dataOutLength(c) < count * d.blockSize) {
            throw CheckCondition.invalidField(entry.layout.lengthOffset, -1);
        }
        try (RangeLock.Held held = d.lock(lba, count, RangeLock.Mode.EXCLUSIVE)) {
            d.writeFromHost(c, 0, lba, count);
        }
        return d.completeWrite(Bytes.bit(cdb, 1, 3), ScsiResult.good((int) (count * d.blockSize)));
    }
}
