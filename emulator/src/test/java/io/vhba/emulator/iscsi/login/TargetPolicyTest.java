package io.vhba.emulator.iscsi.login;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TargetPolicyTest {

    @Test
    void projectDefaults() {
        TargetPolicy policy = TargetPolicy.defaults();

        assertThat(policy.maxRecvDataSegmentLength()).isEqualTo(262144);
        assertThat(policy.maxBurstLength()).isEqualTo(1048576);
        assertThat(policy.firstBurstLength()).isEqualTo(262144);
        assertThat(policy.maxOutstandingR2T()).isEqualTo(8);
        assertThat(policy.immediateData()).isTrue();
        assertThat(policy.initialR2T()).isFalse();
        assertThat(policy.headerDigests()).containsExactlyInAnyOrder(Digest.NONE, Digest.CRC32C);
        assertThat(policy.dataDigests()).containsExactlyInAnyOrder(Digest.NONE, Digest.CRC32C);
        assertThat(policy.errorRecoveryLevel()).isZero();
        assertThat(policy.maxConnections()).isEqualTo(1);
        assertThat(policy.defaultTime2Wait()).isEqualTo(2);
        assertThat(policy.defaultTime2Retain()).isEqualTo(20);
        assertThat(policy.dataPduInOrder()).isTrue();
        assertThat(policy.dataSequenceInOrder()).isTrue();
        assertThat(policy.iscsiProtocolLevel()).isEqualTo(1);
        assertThat(policy.taskReporting()).containsExactly(TaskReporting.RFC3720);
        assertThat(policy.chapChallengeLength()).isEqualTo(16);
    }

    @Test
    void valuesOutsideTheRfcRangesAreRefused() {
        assertRefused(TargetPolicy.builder().maxRecvDataSegmentLength(511));
        assertRefused(TargetPolicy.builder().maxRecvDataSegmentLength(1 << 24));
        assertRefused(TargetPolicy.builder().maxBurstLength(65536).firstBurstLength(131072));
        assertRefused(TargetPolicy.builder().maxOutstandingR2T(0));
        assertRefused(TargetPolicy.builder().errorRecoveryLevel(3));
        assertRefused(TargetPolicy.builder().maxConnections(0));
        assertRefused(TargetPolicy.builder().defaultTime2Wait(3601));
        assertRefused(TargetPolicy.builder().defaultTime2Retain(-1));
        assertRefused(TargetPolicy.builder().iscsiProtocolLevel(3));
        assertRefused(TargetPolicy.builder().chapChallengeLength(15));
        assertRefused(TargetPolicy.builder().chapChallengeLength(1025));
        assertRefused(TargetPolicy.builder().headerDigests(Set.of()));
        assertRefused(TargetPolicy.builder().taskReporting(EnumSet.of(TaskReporting.FAST_ABORT)));
    }

    @Test
    void theDigestSetsAreCopied() {
        Set<Digest> digests = EnumSet.of(Digest.CRC32C);
        TargetPolicy policy = TargetPolicy.builder().headerDigests(digests).build();
        digests.add(Digest.NONE);

        assertThat(policy.headerDigests()).containsExactly(Digest.CRC32C);
    }

    private static void assertRefused(TargetPolicy.Builder builder) {
        assertThatThrownBy(builder::build).isInstanceOf(IllegalArgumentException.class);
    }
}
