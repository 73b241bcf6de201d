package io.vhba.miniport;

/**
 * {@code HW_INITIALIZE}: runs once interrupts are connected, at DIRQL holding the
 * interrupt lock for a physical miniport. It may call
 * {@link StorPort#enablePassiveInitialization}.
 */
@FunctionalInterface
public interface HwStorInitialize<E> {
    boolean initialize(E deviceExtension);
}
