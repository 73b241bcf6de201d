package io.vhba.emulator.scsi.disk;

import io.vhba.hw.ScsiCommand;
import io.vhba.hw.ScsiResult;
import io.vhba.miniport.scsi.AdditionalSense;
import io.vhba.miniport.scsi.SenseData;
import io.vhba.miniport.scsi.SenseKey;

/** TEST UNIT READY, REQUEST SENSE, START STOP UNIT, SYNCHRONIZE CACHE (SPC-4 6.33, 6.47; SBC-4 5.25, 5.26). */
final class MediumCommands {

    private MediumCommands() {}

    /** The medium state gate has already answered every not-ready condition; what reaches here is ready. */
    static ScsiResult testUnitReady(Disk d, DiskCommand entry, ScsiCommand c) {
        return ScsiResult.good(0);
    }

    /**
     * REQUEST SENSE (SPC-4 6.33): fixed-format sense describing the current condition, GOOD status. This device
     * keeps no deferred errors (unit attentions belong to the target core), so a ready unit answers NO SENSE;
     * a busy unit answers NOT READY with the progress indication.
     */
    static ScsiResult requestSense(Disk d, DiskCommand entry, ScsiCommand c) {
        SenseData sense = pendingSense(d.medium.get());
        byte[] b = sense.toBytes();
        return ScsiResult.good(Disk.sendDataIn(c, b, b.length, Bytes.u8(c.cdb(), 4)));
    }

    static SenseData pendingSense(MediumState state) {
        if (state instanceof MediumState.InProgress busy) {
            return busy.notReady();
        }
        if (state instanceof MediumState.Ejected) {
            return SenseData.of(SenseKey.NOT_READY, AdditionalSense.MEDIUM_NOT_PRESENT_TRAY_OPEN);
        }
        if (state instanceof MediumState.SanitizeFailed) {
            return SenseData.of(SenseKey.MEDIUM_ERROR, AdditionalSense.SANITIZE_COMMAND_FAILED);
        }
        return SenseData.of(SenseKey.NO_SENSE, AdditionalSense.NO_ADDITIONAL_SENSE_INFORMATION);
    }

    /**
     * START STOP UNIT (SBC-4 5.25). This medium has no spindle and no power states: a POWER CONDITION other than
     * START_VALID is accepted and changes nothing (START and LOEJ are then ignored, as SBC-4 says), and START=0 does
     * not make the unit inaccessible. Stopping writes cached data to the medium before GOOD unless NO_FLUSH. On
     * removable media, LOEJ ejects (START=0) or loads (START=1) unless medium removal is prevented.
     */
    static ScsiResult startStopUnit(Disk d, DiskCommand entry, ScsiCommand c) {
        byte[] cdb = c.cdb();
        int powerCondition = Bytes.u8(cdb, 4) >>> 4;
        boolean noFlush = Bytes.bit(cdb, 4, 2);
        boolean loej = Bytes.bit(cdb, 4, 1);
        boolean start = Bytes.bit(cdb, 4, 0);
        if (powerCondition != 0) {
            return ScsiResult.good(0);
        }
        boolean flush = !start && !noFlush && d.medium.get() != MediumState.EJECTED;
        if (loej) {
            if (d.preventRemoval) {
                throw CheckCondition.of(SenseKey.ILLEGAL_REQUEST, AdditionalSense.MEDIUM_REMOVAL_PREVENTED);
            }
            if (start) {
                d.medium.compareAndSet(MediumState.EJECTED, MediumState.PRESENT);
            } else {
                d.medium.compareAndSet(MediumState.PRESENT, MediumState.EJECTED);
            }
        }
        return flush ? d.whenDurable(ScsiResult.good(0)) : ScsiResult.good(0);
    }

    /**
     * SYNCHRONIZE CACHE(10)/(16) (SBC-4 5.26): the range is checked, then the whole store is forced (a file cannot
     * be forced by range). IMMED is accepted; status is returned once the flush is done, from the store's flush
     * thread for a file (one force serves every SYNCHRONIZE CACHE and FUA write waiting at the time).
     */
    static ScsiResult synchronizeCache(Disk d, DiskCommand entry, ScsiCommand c) {
        byte[] cdb = c.cdb();
        d.checkRange(entry.layout.lba(cdb), entry.layout.length(cdb));
        return d.whenDurable(ScsiResult.good(0));
    }

    /**
     * PREVENT ALLOW MEDIUM REMOVAL (SBC-4 5.12), removable media only: PREVENT 01b stops START STOP UNIT from
     * ejecting or loading until allowed again or cleared by the target core; 10b and 11b are obsolete.
     */
    static ScsiResult preventAllow(Disk d, DiskCommand entry, ScsiCommand c) {
        int prevent = Bytes.u8(c.cdb(), 4) & 0x03;
        if (prevent > 1) {
            throw CheckCondition.invalidField(4, 1);
        }
        d.preventRemoval = prevent == 1;
        return ScsiResult.good(0);
    }

    /**
     * PRE-FETCH(10)/(16) (SBC-4 5.9, 5.10): asks the store to bring the range into its cache. CONDITION MET when
     * the whole range now sits in a cache (a file store reading into the page cache), GOOD when it cannot (a RAM
     * store has no cache in front of its medium; a range too large for the cache). A PREFETCH LENGTH of zero means
     * through the last block. IMMED is accepted; status follows the prefetch.
     */
    static ScsiResult preFetch(Disk d, DiskCommand entry, ScsiCommand c) {
        byte[] cdb = c.cdb();
        long lba = entry.layout.lba(cdb);
        long count = entry.layout.length(cdb);
        d.checkRange(lba, count);
        if (count == 0) {
            count = d.blocks() - lba;
        }
        boolean cached;
        try (RangeLock.Held held = d.lock(lba, count, RangeLock.Mode.SHARED)) {
            cached = d.store.prefetch(lba * d.blockSize, count * d.blockSize);
        } catch (java.io.IOException e) {
            throw new CheckCondition(SenseData.withInformation(SenseKey.MEDIUM_ERROR,
                    AdditionalSense.UNRECOVERED_READ_ERROR, lba));
        }
        return cached ? ScsiResult.status(io.vhba.miniport.scsi.ScsiStatus.CONDITION_MET) : ScsiResult.good(0);
    }
}
