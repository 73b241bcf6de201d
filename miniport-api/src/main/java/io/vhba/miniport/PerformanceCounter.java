package io.vhba.miniport;

/**
 * The two out-parameters of {@code StorPortQueryPerformanceCounter}.
 *
 * @param counter   the count of ticks since boot
 * @param frequency ticks per second
 */
public record PerformanceCounter(long counter, long frequency) {}
