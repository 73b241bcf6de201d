package io.vhba.emulator.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class LatencyBucketsTest {

    @Test
    void theLadderIsOneTwoAndAHalfFiveFromAMicrosecondToTheSrbTimeout() {
        Duration[] all = LatencyBuckets.upTo(Duration.ofSeconds(60));
        assertThat(all).hasSize(24).startsWith(Duration.ofNanos(1_000), Duration.ofNanos(2_500), Duration.ofNanos(5_000))
                .endsWith(Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofSeconds(60));
        for (int i = 1; i < all.length; i++) {
            assertThat(all[i]).isGreaterThan(all[i - 1]);
        }
    }

    @Test
    void aPrefixEndsAtTheLastBoundNotAboveTheMaximum() {
        assertThat(LatencyBuckets.upTo(Duration.ofMillis(100))).hasSize(16).endsWith(Duration.ofMillis(100));
        assertThat(LatencyBuckets.upTo(Duration.ofMillis(3))).endsWith(Duration.ofNanos(2_500_000));
    }
}
