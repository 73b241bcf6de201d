package io.vhba.samples.halfduplex;

import io.vhba.miniport.MemoryBuffer;
import io.vhba.miniport.Srb;
import io.vhba.miniport.SrbFlags;
import io.vhba.miniport.SrbStatus;
import io.vhba.miniport.scsi.ScsiStatus;
import io.vhba.samples.halfduplex.hw.CommandBlock;
import io.vhba.samples.halfduplex.hw.CompletionCode;
import java.util.EnumMap;
import java.util.Map;

/** A command block's completion half -> the SRB's status fields, by STORPORT.md's status rules. Completing is the caller's job. */
final class CommandBlockStatus {
    private CommandBlockStatus() {}

    /** A command the device did not run to a SCSI status. */
    private static final Map<CompletionCode, SrbStatus> FAILURE = new EnumMap<>(Map.of(
            CompletionCode.DMA_ERROR, SrbStatus.ERROR,
            CompletionCode.INVALID, SrbStatus.INVALID_REQUEST,
            CompletionCode.DEVICE_ERROR, SrbStatus.ERROR));

    static void apply(Srb srb, MemoryBuffer cb) {
        CompletionCode code = CompletionCode.of(cb.getByte(CommandBlock.COMPLETION_CODE) & 0xFF);
        if (code != CompletionCode.OK) {
            srb.setScsiStatus(ScsiStatus.GOOD.code());
            srb.setDataTransferLength(0); // no byte is known to have arrived whole
            srb.setSrbStatus(FAILURE.get(code));
            return;
        }
        int scsiStatus = cb.getByte(CommandBlock.SCSI_STATUS) & 0xFF;
        int transferred = cb.getInt(CommandBlock.TRANSFERRED);
        srb.setScsiStatus(scsiStatus);
        boolean shortTransfer = transferred >= 0 && transferred < srb.dataTransferLength();
        if (shortTransfer) {
            srb.setDataTransferLength(transferred);
        }
        if (scsiStatus == ScsiStatus.GOOD.code()) {
            // SRB_STATUS_DATA_OVERRUN also reports an underrun; DataTransferLength holds the count
            srb.setSrbStatus(shortTransfer ? SrbStatus.DATA_OVERRUN : SrbStatus.SUCCESS);
        } else if (scsiStatus == ScsiStatus.CHECK_CONDITION.code() && copySense(srb, cb)) {
            srb.setSrbStatus(SrbStatus.ERROR, true);
        } else {
            srb.setSrbStatus(SrbStatus.ERROR);
        }
    }

    /** Autosense: false if there is nothing to copy or nowhere to. */
    private static boolean copySense(Srb srb, MemoryBuffer cb) {
        int available = Math.min(cb.getByte(CommandBlock.SENSE_LENGTH) & 0xFF, CommandBlock.SENSE_MAX);
        MemoryBuffer sense = srb.senseInfoBuffer();
        if (available == 0 || sense == null || (srb.srbFlags() & SrbFlags.DISABLE_AUTOSENSE) != 0) {
            return false;
        }
        int n = Math.min(Math.min(available, srb.senseInfoBufferLength()), sense.length());
        if (n == 0) {
            return false;
        }
        byte[] b = new byte[n];
        cb.get(CommandBlock.SENSE, b, 0, n);
        sense.put(0, b, 0, n);
        srb.setSenseInfoBufferLength(n);
        return true;
    }
}
