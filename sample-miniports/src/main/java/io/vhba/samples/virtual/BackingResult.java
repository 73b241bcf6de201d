package io.vhba.samples.virtual;

import io.vhba.hw.ScsiResult;
import io.vhba.miniport.MemoryBuffer;
import io.vhba.miniport.Srb;
import io.vhba.miniport.SrbFlags;
import io.vhba.miniport.SrbStatus;
import io.vhba.miniport.scsi.ScsiStatus;

/** The backing's answer -> the SRB's status fields (STORPORT.md, "Status rules"). Completing is the caller's job. */
public final class BackingResult {
    private BackingResult() {}

    public static void apply(Srb srb, ScsiResult result) {
        srb.setScsiStatus(result.status().code());
        int transferred = Math.max(0, result.transferred());
        boolean shortTransfer = transferred < srb.dataTransferLength();
        if (shortTransfer) {
            srb.setDataTransferLength(transferred); // the actual count, for underrun and errors alike
        }
        if (result.status() == ScsiStatus.GOOD) {
            srb.setSrbStatus(shortTransfer ? SrbStatus.DATA_OVERRUN : SrbStatus.SUCCESS);
        } else if (result.status() == ScsiStatus.CHECK_CONDITION && copySense(srb, result)) {
            srb.setSrbStatus(SrbStatus.ERROR, true);
        } else {
            srb.setSrbStatus(SrbStatus.ERROR);
        }
    }

    /** The backing failed without a SCSI answer: nothing is known to have moved. */
    public static void failed(Srb srb) {
        srb.setScsiStatus(ScsiStatus.GOOD.code());
        srb.setDataTransferLength(0);
        srb.setSrbStatus(SrbStatus.ERROR);
    }

    private static boolean copySense(Srb srb, ScsiResult result) {
        MemoryBuffer sense = srb.senseInfoBuffer();
        if (result.sense() == null || sense == null || (srb.srbFlags() & SrbFlags.DISABLE_AUTOSENSE) != 0) {
            return false;
        }
        byte[] bytes = result.sense().toBytes();
        int n = Math.min(Math.min(bytes.length, srb.senseInfoBufferLength()), sense.length());
        if (n == 0) {
            return false;
        }
        sense.put(0, bytes, 0, n);
        srb.setSenseInfoBufferLength(n);
        return true;
    }
}
