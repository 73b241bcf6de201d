package io.vhba.emulator.iscsi.login;

import java.util.EnumSet;
import java.util.Set;

/**
 * What the target accepts in login negotiation (RFC 7143 §13). Each numeric value is the target's
 * side of the key's result function: for a Minimum key the most it accepts, for a Maximum key the
 * least. Build with {@link #builder()}; {@link #defaults()} is the project default.
 *
 * @param maxRecvDataSegmentLength the target's MaxRecvDataSegmentLength, declared in every login (§13.12)
 * @param maxBurstLength           the largest MaxBurstLength accepted (§13.13)
 * @param firstBurstLength         the largest FirstBurstLength accepted (§13.14), at most maxBurstLength
 * @param maxOutstandingR2T        the largest MaxOutstandingR2T accepted (§13.17)
 * @param initialR2T               Yes when the target wants an R2T before any unsolicited Data-Out (§13.10, OR)
 * @param immediateData            Yes when the target takes immediate data (§13.11, AND)
 * @param headerDigests            the header digests accepted (§13.1)
 * @param dataDigests              the data digests accepted (§13.1)
 * @param errorRecoveryLevel       the highest ErrorRecoveryLevel supported (§13.20)
 * @param maxConnections           the largest MaxConnections accepted (§13.2)
 * @param defaultTime2Wait         the least DefaultTime2Wait, in seconds (§13.15, Maximum)
 * @param defaultTime2Retain       the largest DefaultTime2Retain, in seconds (§13.16)
 * @param dataPduInOrder           Yes when Data PDUs must arrive in order (§13.18, OR)
 * @param dataSequenceInOrder      Yes when data sequences must arrive in order (§13.19, OR)
 * @param iscsiProtocolLevel       the highest iSCSIProtocolLevel supported (§13.24): 1 for RFC 7143, 2 when
 *                                 the session layer implements the RFC 7144 features
 * @param taskReporting            the TaskReporting semantics supported (§13.23); must include RFC3720
 * @param chapChallengeLength      the length in bytes of the CHAP challenges the target sends (§12.1.3)
 * @param textLimits               how many key=value pairs and bytes a login or text exchange may carry (§6.1)
 */
public record TargetPolicy(int maxRecvDataSegmentLength, int maxBurstLength, int firstBurstLength,
                           int maxOutstandingR2T, boolean initialR2T, boolean immediateData,
                           Set<Digest> headerDigests, Set<Digest> dataDigests, int errorRecoveryLevel,
                           int maxConnections, int defaultTime2Wait, int defaultTime2Retain,
                           boolean dataPduInOrder, boolean dataSequenceInOrder, int iscsiProtocolLevel,
                           Set<TaskReporting> taskReporting, int chapChallengeLength, TextLimits textLimits) {

    /** §13.12-13.14: data lengths are 512 to 2^24-1. */
    static final int MIN_DATA_LENGTH = 512;
    static final int MAX_DATA_LENGTH = (1 << 24) - 1;

    public TargetPolicy {
        range("MaxRecvDataSegmentLength", maxRecvDataSegmentLength, MIN_DATA_LENGTH, MAX_DATA_LENGTH);
        range("MaxBurstLength", maxBurstLength, MIN_DATA_LENGTH, MAX_DATA_LENGTH);
        range("FirstBurstLength", firstBurstLength, MIN_DATA_LENGTH, maxBurstLength);
        range("MaxOutstandingR2T", maxOutstandingR2T, 1, 65535);
        range("ErrorRecoveryLevel", errorRecoveryLevel, 0, 2);
        range("MaxConnections", maxConnections, 1, 65535);
        range("DefaultTime2Wait", defaultTime2Wait, 0, 3600);
        range("DefaultTime2Retain", defaultTime2Retain, 0, 3600);
        // Level 1 is RFC 7143 itself; level 2 is RFC 7144. No higher level is defined.
        range("iSCSIProtocolLevel", iscsiProtocolLevel, 1, 2);
        // §12.1.3: CHAP binary values are at most 1024 bytes; 16 random bytes are the least we send.
        range("CHAP challenge length", chapChallengeLength, 16, 1024);
        if (headerDigests.isEmpty() || dataDigests.isEmpty()) {
            throw new IllegalArgumentException("at least one header and one data digest must be accepted");
        }
        if (!taskReporting.contains(TaskReporting.RFC3720)) {
            // §13.23: an originator always offers RFC3720, so supporting it is what lets us answer.
            throw new IllegalArgumentException("TaskReporting must include RFC3720");
        }
        java.util.Objects.requireNonNull(textLimits, "textLimits");
        headerDigests = Set.copyOf(headerDigests);
        dataDigests = Set.copyOf(dataDigests);
        taskReporting = Set.copyOf(taskReporting);
    }

    /**
     * MaxRecvDataSegmentLength 262144, MaxBurstLength 1048576, FirstBurstLength 262144,
     * MaxOutstandingR2T 8, InitialR2T No, ImmediateData Yes, digests None or CRC32C,
     * ErrorRecoveryLevel 0, MaxConnections 1, DefaultTime2Wait 2, DefaultTime2Retain 20,
     * DataPDUInOrder and DataSequenceInOrder Yes, iSCSIProtocolLevel 1, TaskReporting RFC3720,
     * 16-byte CHAP challenges, {@link TextLimits#DEFAULT}.
     */
    public static TargetPolicy defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    private static void range(String name, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(name + " must be " + min + ".." + max + ", got " + value);
        }
    }

    /** Builds a {@link TargetPolicy}, starting from the project defaults. */
    public static final class Builder {
        private int maxRecvDataSegmentLength = 262144;
        private int maxBurstLength = 1048576;
        private int firstBurstLength = 262144;
        private int maxOutstandingR2T = 8;
        private boolean initialR2T = false;
        private boolean immediateData = true;
        private Set<Digest> headerDigests = EnumSet.allOf(Digest.class);
        private Set<Digest> dataDigests = EnumSet.allOf(Digest.class);
        private int errorRecoveryLevel = 0;
        private int maxConnections = 1;
        private int defaultTime2Wait = 2;
        private int defaultTime2Retain = 20;
        private boolean dataPduInOrder = true;
        private boolean dataSequenceInOrder = true;
        private int iscsiProtocolLevel = 1;
        private Set<TaskReporting> taskReporting = EnumSet.of(TaskReporting.RFC3720);
        private int chapChallengeLength = 16;
        private TextLimits textLimits = TextLimits.DEFAULT;

        private Builder() {
        }

        public Builder maxRecvDataSegmentLength(int value) {
            maxRecvDataSegmentLength = value;
            return this;
        }

        public Builder maxBurstLength(int value) {
            maxBurstLength = value;
            return this;
        }

        public Builder firstBurstLength(int value) {
            firstBurstLength = value;
            return this;
        }

        public Builder maxOutstandingR2T(int value) {
            maxOutstandingR2T = value;
            return this;
        }

        public Builder initialR2T(boolean value) {
            initialR2T = value;
            return this;
        }

        public Builder immediateData(boolean value) {
            immediateData = value;
            return this;
        }

        public Builder headerDigests(Set<Digest> value) {
            headerDigests = value;
            return this;
        }

        public Builder dataDigests(Set<Digest> value) {
            dataDigests = value;
            return this;
        }

        public Builder errorRecoveryLevel(int value) {
            errorRecoveryLevel = value;
            return this;
        }

        public Builder maxConnections(int value) {
            maxConnections = value;
            return this;
        }

        public Builder defaultTime2Wait(int value) {
            defaultTime2Wait = value;
            return this;
        }

        public Builder defaultTime2Retain(int value) {
            defaultTime2Retain = value;
            return this;
        }

        public Builder dataPduInOrder(boolean value) {
            dataPduInOrder = value;
            return this;
        }

        public Builder dataSequenceInOrder(boolean value) {
            dataSequenceInOrder = value;
            return this;
        }

        public Builder iscsiProtocolLevel(int value) {
            iscsiProtocolLevel = value;
            return this;
        }

        public Builder taskReporting(Set<TaskReporting> value) {
            taskReporting = value;
            return this;
        }

        public Builder chapChallengeLength(int value) {
            chapChallengeLength = value;
            return this;
        }

        public Builder textLimits(TextLimits value) {
            textLimits = value;
            return this;
        }

        public TargetPolicy build() {
            return new TargetPolicy(maxRecvDataSegmentLength, maxBurstLength, firstBurstLength, maxOutstandingR2T,
                    initialR2T, immediateData, headerDigests, dataDigests, errorRecoveryLevel, maxConnections,
                    defaultTime2Wait, defaultTime2Retain, dataPduInOrder, dataSequenceInOrder, iscsiProtocolLevel,
                    taskReporting, chapChallengeLength, textLimits);
        }
    }
}
