package io.vhba.hw;

import io.vhba.miniport.scsi.ScsiStatus;
import io.vhba.miniport.scsi.SenseData;

/**
 * What a logical unit answers.
 *
 * @param status      the SCSI status
 * @param sense       sense data with CHECK CONDITION, else null
 * @param transferred bytes actually moved in the data phase
 * @param wanted      bytes the CDB asked to move (its allocation or transfer length); used to
 *                    report overflow when the initiator's buffer was smaller
 */
public record ScsiResult(ScsiStatus status, SenseData sense, int transferred, long wanted) {

    public static ScsiResult good(int transferred, long wanted) {
        return new ScsiResult(ScsiStatus.GOOD, null, transferred, wanted);
    }

    public static ScsiResult checkCondition(SenseData sense) {
        return new ScsiResult(ScsiStatus.CHECK_CONDITION, sense, 0, 0);
    }

    public static ScsiResult checkCondition(SenseData sense, int transferred) {
        return new ScsiResult(ScsiStatus.CHECK_CONDITION, sense, transferred, 0);
    }

    public static ScsiResult status(ScsiStatus status) {
        return new ScsiResult(status, null, 0, 0);
    }

    public boolean isGood() {
        return status == ScsiStatus.GOOD;
    }
}
