package io.vhba.hw;

import io.vhba.miniport.scsi.ScsiStatus;
import io.vhba.miniport.scsi.SenseData;

/**
 * What a logical unit answers.
 *
 * @param status      the SCSI status
 * @param sense       sense data with CHECK CONDITION, else null
 * @param transferred bytes actually moved in the data phase (at most the buffer length)
 */
public record ScsiResult(ScsiStatus status, SenseData sense, int transferred) {

    public static ScsiResult good(int transferred) {
        return new ScsiResult(ScsiStatus.GOOD, null, transferred);
    }

    public static ScsiResult checkCondition(SenseData sense) {
        return new ScsiResult(ScsiStatus.CHECK_CONDITION, sense, 0);
    }

    public static ScsiResult checkCondition(SenseData sense, int transferred) {
        return new ScsiResult(ScsiStatus.CHECK_CONDITION, sense, transferred);
    }

    public static ScsiResult status(ScsiStatus status) {
        return new ScsiResult(status, null, 0);
    }

    public boolean isGood() {
        return status == ScsiStatus.GOOD;
    }
}
