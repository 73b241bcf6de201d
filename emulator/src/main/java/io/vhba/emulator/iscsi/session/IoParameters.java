package io.vhba.emulator.iscsi.session;

/**
 * The negotiated values the full feature phase works with (RFC 7143 §13).
 *
 * @param initiatorMaxRecvDataSegmentLength the most data the target may put in one PDU to the initiator
 * @param targetMaxRecvDataSegmentLength    the most data the initiator may put in one PDU to the target
 */
public record IoParameters(int initiatorMaxRecvDataSegmentLength, int targetMaxRecvDataSegmentLength,
                           int maxBurstLength, int firstBurstLength, boolean initialR2T, boolean immediateData,
                           int maxOutstandingR2T, boolean dataPduInOrder, boolean dataSequenceInOrder,
                           int errorRecoveryLevel, boolean headerDigest, boolean dataDigest) {

    /** RFC 7143 defaults, with the target accepting 256 KiB segments. */
    public static IoParameters defaults() {
        return new IoParameters(8192, 262144, 262144, 65536, true, true, 1, true, true, 0, false, false);
    }
}
