package io.vhba.samples.mailbox;

import io.vhba.miniport.MemoryBuffer;
import io.vhba.miniport.Srb;
import io.vhba.miniport.SrbFlags;
import io.vhba.miniport.SrbStatus;
import io.vhba.miniport.scsi.ScsiStatus;
import io.vhba.samples.mailbox.hw.HostStatus;
import io.vhba.samples.mailbox.hw.MailboxLayout.Slot;
import java.util.EnumMap;
import java.util.Map;

/**
 * Turns a slot's completion area into the SRB's status fields, by STORPORT.md's status
 * rules. It only fills the SRB; completing it is the caller's job.
 */
final class SrbCompletion {
    private SrbCompletion() {}

    /** A command the device did not run to a SCSI status: the SRB status says why. */
    private static final Map<HostStatus, SrbStatus> HOST_FAILURE = new EnumMap<>(Map.of(
            HostStatus.DMA_ERROR, SrbStatus.ERROR,
            HostStatus.INVALID, SrbStatus.INVALID_REQUEST,
            HostStatus.ABORTED, SrbStatus.ABORTED,
            HostStatus.RESET, SrbStatus.BUS_RESET,
            HostStatus.DEVICE_ERROR, SrbStatus.ERROR));

    static void apply(Srb srb, MemoryBuffer slot) {
        HostStatus host = HostStatus.of(slot.getByte(Slot.HOST_STATUS) & 0xFF);
        if (host != HostStatus.OK) {
            srb.setScsiStatus(ScsiStatus.GOOD.code());
            srb.setDataTransferLength(0); // no byte is known to have arrived whole
            srb.setSrbStatus(HOST_FAILURE.get(host));
            return;
        }
        int scsiStatus = slot.getByte(Slot.SCSI_STATUS) & 0xFF;
        int transferred = slot.getInt(Slot.TRANSFERRED);
        srb.setScsiStatus(scsiStatus);
        boolean shortTransfer = transferred >= 0 && transferred < srb.dataTransferLength();
        if (shortTransfer) {
            srb.setDataTransferLength(transferred); // the actual count, for underrun and for errors alike
        }
        if (scsiStatus == ScsiStatus.GOOD.code()) {
            // SRB_STATUS_DATA_OVERRUN also reports an underrun; DataTransferLength holds the count
            srb.setSrbStatus(shortTransfer ? SrbStatus.DATA_OVERRUN : SrbStatus.SUCCESS);
        } else if (scsiStatus == ScsiStatus.CHECK_CONDITION.code() && copySense(srb, slot)) {
            srb.setSrbStatus(SrbStatus.ERROR, true);
        } else {
            // not GOOD: ERROR, with ScsiStatus saying which (BUSY, RESERVATION CONFLICT, TASK SET FULL, ...)
            srb.setSrbStatus(SrbStatus.ERROR);
        }
    }

    /** Autosense: copies the sense bytes into SenseInfoBuffer and trims SenseInfoBufferLength; false if there is nothing to copy or nowhere to. */
    private static boolean copySense(Srb srb, MemoryBuffer slot) {
        int available = Math.min(slot.getByte(Slot.SENSE_LENGTH) & 0xFF, Slot.SENSE_MAX);
        MemoryBuffer senseBuffer = srb.senseInfoBuffer();
        if (available == 0 || senseBuffer == null || (srb.srbFlags() & SrbFlags.DISABLE_AUTOSENSE) != 0) {
            return false;
        }
        int n = Math.min(Math.min(available, srb.senseInfoBufferLength()), senseBuffer.length());
        if (n == 0) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            senseBuffer.putByte(i, slot.getByte(Slot.SENSE + i));
        }
        srb.setSenseInfoBufferLength(n);
        return true;
    }
}
