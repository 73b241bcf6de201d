package io.vhba.miniport;

/** {@code HW_INTERRUPT}: the line-interrupt ISR, at DIRQL under the interrupt lock. Returns true if the adapter interrupted. */
@FunctionalInterface
public interface HwStorInterrupt<E> {
    boolean interrupt(E deviceExtension);
}
