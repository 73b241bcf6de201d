package io.vhba.emulator.metrics;

import java.time.Duration;
import java.util.Arrays;

/**
 * The bucket bounds every vHBA latency histogram shares: a 1-2.5-5 ladder from 1 µs to 60 s (the
 * default SRB timeout), so that {@code histogram_quantile} works over any of them and buckets of
 * different layers line up. Micrometer's generated percentile-histogram buckets would give about
 * 115 buckets per series over the same range; 24 explicit ones keep a LUN's latency series cheap
 * to scrape and store, at the price of interpolation inside a bucket.
 */
public final class LatencyBuckets {
    private static final Duration[] LADDER = {
        micros(1), nanos(2_500), micros(5), micros(10), micros(25), micros(50), micros(100), micros(250), micros(500),
        millis(1), micros(2_500), millis(5), millis(10), millis(25), millis(50), millis(100), millis(250), millis(500),
        Duration.ofSeconds(1), millis(2_500), Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30),
        Duration.ofSeconds(60)};

    private LatencyBuckets() {}

    /** The ladder's bounds up to and including {@code max}. */
    public static Duration[] upTo(Duration max) {
        int n = 0;
        while (n < LADDER.length && LADDER[n].compareTo(max) <= 0) {
            n++;
        }
        return Arrays.copyOf(LADDER, n);
    }

    private static Duration nanos(long n) {
        return Duration.ofNanos(n);
    }

    private static Duration micros(long n) {
        return Duration.ofNanos(n * 1_000);
    }

    private static Duration millis(long n) {
        return Duration.ofMillis(n);
    }
}
