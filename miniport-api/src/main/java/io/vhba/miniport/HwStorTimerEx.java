package io.vhba.miniport;

/**
 * {@code PHW_TIMER_EX}: the callback of a timer object ({@code StorPortRequestTimer}); runs at
 * DISPATCH_LEVEL under the StartIo lock, like {@code HwStorTimer}.
 */
@FunctionalInterface
public interface HwStorTimerEx<E> {
    void timer(E deviceExtension, Object context);
}
