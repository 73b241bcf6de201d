package io.vhba.emulator.iscsi.login;

/**
 * The session-wide outcome of a leading login (RFC 7143 §13, Scope SW): every key, negotiated or at
 * its default.
 */
public record SessionParameters(int maxConnections, boolean initialR2T, boolean immediateData, int maxBurstLength,
                                int firstBurstLength, int defaultTime2Wait, int defaultTime2Retain,
                                int maxOutstandingR2T, boolean dataPduInOrder, boolean dataSequenceInOrder,
                                int errorRecoveryLevel, TaskReporting taskReporting, int iscsiProtocolLevel) {

    /** The RFC defaults, in effect for every key never negotiated. */
    public static SessionParameters defaults() {
        return new SessionParameters(1, true, true, 262144, 65536, 2, 20, 1, true, true, 0, TaskReporting.RFC3720, 1);
    }

    /**
     * The FirstBurstLength that holds in practice: unsolicited data is the first burst of a command
     * and so never exceeds MaxBurstLength either (§13.14).
     */
    public int effectiveFirstBurstLength() {
        return Math.min(firstBurstLength, maxBurstLength);
    }

    /** True when an initiator may send data the target did not ask for with an R2T (§13.10-13.11). */
    public boolean unsolicitedDataAllowed() {
        return !initialR2T || immediateData;
    }
}
