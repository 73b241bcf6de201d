package io.vhba.samples.common;

import io.vhba.miniport.MemoryBuffer;
import io.vhba.miniport.Srb;
import io.vhba.miniport.SrbFlags;
import io.vhba.miniport.SrbStatus;
import io.vhba.miniport.scsi.ScsiStatus;

/**
 * STORPORT.md's status rules for filling an SRB from what a controller reported, the same for
 * every sample device: either the device did not run the command to a SCSI status (its own
 * host/completion code says why, and each sample maps its codes to an {@link SrbStatus} in its
 * own table), or it did, and the SCSI status, the transferred count and any sense data decide.
 * These methods only fill the SRB; completing it is the caller's job.
 */
public final class SrbStatusRules {
    private SrbStatusRules() {}

    /** The device did not run the command to a SCSI status: {@code status} says why; no byte is known to have arrived whole. */
    public static void notRun(Srb srb, SrbStatus status) {
        srb.setScsiStatus(ScsiStatus.GOOD.code());
        srb.setDataTransferLength(0);
        srb.setSrbStatus(status);
    }

    /**
     * The logical unit answered: GOOD is SUCCESS, or DATA_OVERRUN (which also reports an underrun)
     * when fewer than DataTransferLength bytes moved; CHECK CONDITION with sense the device wrote
     * ({@code senseAvailable} bytes at {@code senseOffset} of {@code sense}) is ERROR with autosense;
     * any other status is ERROR with ScsiStatus saying which (BUSY, RESERVATION CONFLICT, ...).
     * A short transfer trims DataTransferLength to the actual count in every case.
     */
    public static void ran(Srb srb, int scsiStatus, int transferred, MemoryBuffer sense, int senseOffset, int senseAvailable) {
        srb.setScsiStatus(scsiStatus);
        boolean shortTransfer = transferred >= 0 && transferred < srb.dataTransferLength();
        if (shortTransfer) {
            srb.setDataTransferLength(transferred);
        }
        if (scsiStatus == ScsiStatus.GOOD.code()) {
            srb.setSrbStatus(shortTransfer ? SrbStatus.DATA_OVERRUN : SrbStatus.SUCCESS);
        } else if (scsiStatus == ScsiStatus.CHECK_CONDITION.code() && copySense(srb, sense, senseOffset, senseAvailable)) {
            srb.setSrbStatus(SrbStatus.ERROR, true);
        } else {
            srb.setSrbStatus(SrbStatus.ERROR);
        }
    }

    /** Autosense: copies the sense bytes into SenseInfoBuffer and trims SenseInfoBufferLength; false if there is nothing to copy or nowhere to. */
    private static boolean copySense(Srb srb, MemoryBuffer sense, int senseOffset, int available) {
        MemoryBuffer senseBuffer = srb.senseInfoBuffer();
        if (available == 0 || senseBuffer == null || (srb.srbFlags() & SrbFlags.DISABLE_AUTOSENSE) != 0) {
            return false;
        }
        int n = Math.min(Math.min(available, srb.senseInfoBufferLength()), senseBuffer.length());
        if (n == 0) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            senseBuffer.putByte(i, sense.getByte(senseOffset + i));
        }
        srb.setSenseInfoBufferLength(n);
        return true;
    }
}
