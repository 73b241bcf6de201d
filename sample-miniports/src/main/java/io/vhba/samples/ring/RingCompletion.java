package io.vhba.samples.ring;

import io.vhba.miniport.MemoryBuffer;
import io.vhba.miniport.Srb;
import io.vhba.miniport.SrbFlags;
import io.vhba.miniport.SrbStatus;
import io.vhba.miniport.scsi.ScsiStatus;
import io.vhba.samples.ring.hw.HostStatus;
import java.util.EnumMap;
import java.util.Map;

/**
 * Turns a completion entry (and the sense data the device wrote into the SRB extension) into the
 * SRB's status fields, by STORPORT.md's status rules. It only fills the SRB; completing it is the
 * caller's job.
 */
final class RingCompletion {
    private RingCompletion() {}

    /** A command the device did not run to a SCSI status: the SRB status says why. */
    private static final Map<HostStatus, SrbStatus> HOST_FAILURE = new EnumMap<>(Map.of(
            HostStatus.DMA_ERROR, SrbStatus.ERROR,
            HostStatus.INVALID, SrbStatus.INVALID_REQUEST,
            HostStatus.ABORTED, SrbStatus.ABORTED,
            HostStatus.RESET, SrbStatus.BUS_RESET,
            HostStatus.DEVICE_ERROR, SrbStatus.ERROR));

    /** The completion entry's fields as {@link QueuePair.Batch#info} packs them. */
    static long info(int transferred, int dword2) {
        return (transferred & 0xFFFF_FFFFL) | (long) dword2 << 32;
    }

    static void apply(Srb srb, long info) {
        int transferred = (int) info;
        int scsiStatus = (int) (info >>> 32) & 0xFF;
        HostStatus host = HostStatus.of((int) (info >>> 40) & 0xFF);
        int senseLength = (int) (info >>> 48) & 0xFF;
        if (host != HostStatus.OK) {
            srb.setScsiStatus(ScsiStatus.GOOD.code());
            srb.setDataTransferLength(0); // no byte is known to have arrived whole
            srb.setSrbStatus(HOST_FAILURE.get(host));
            return;
        }
        srb.setScsiStatus(scsiStatus);
        boolean shortTransfer = transferred >= 0 && transferred < srb.dataTransferLength();
        if (shortTransfer) {
            srb.setDataTransferLength(transferred); // the actual count, for underrun and for errors alike
        }
        if (scsiStatus == ScsiStatus.GOOD.code()) {
            // SRB_STATUS_DATA_OVERRUN also reports an underrun; DataTransferLength holds the count
            srb.setSrbStatus(shortTransfer ? SrbStatus.DATA_OVERRUN : SrbStatus.SUCCESS);
        } else if (scsiStatus == ScsiStatus.CHECK_CONDITION.code() && copySense(srb, senseLength)) {
            srb.setSrbStatus(SrbStatus.ERROR, true);
        } else {
            // not GOOD: ERROR, with ScsiStatus saying which (BUSY, RESERVATION CONFLICT, TASK SET FULL, ...)
            srb.setSrbStatus(SrbStatus.ERROR);
        }
    }

    /** Autosense: copies what the device wrote into SenseInfoBuffer and trims SenseInfoBufferLength; false if nothing to copy or nowhere to. */
    private static boolean copySense(Srb srb, int available) {
        MemoryBuffer senseBuffer = srb.senseInfoBuffer();
        if (available == 0 || senseBuffer == null || (srb.srbFlags() & SrbFlags.DISABLE_AUTOSENSE) != 0) {
            return false;
        }
        int n = Math.min(Math.min(Math.min(available, RingIo.SrbExtension.SENSE_SIZE), srb.senseInfoBufferLength()),
                senseBuffer.length());
        if (n == 0) {
            return false;
        }
        byte[] sense = new byte[n];
        srb.srbExtension().get(RingIo.SrbExtension.SENSE, sense, 0, n);
        senseBuffer.put(0, sense, 0, n);
        srb.setSenseInfoBufferLength(n);
        return true;
    }
}
