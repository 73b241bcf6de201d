package io.vhba.miniport;

/** {@code HW_TIMER}: the routine named in a {@code RequestTimerCall} notification; DISPATCH_LEVEL under the StartIo lock. */
@FunctionalInterface
public interface HwStorTimer<E> {
    void timer(E deviceExtension);
}
