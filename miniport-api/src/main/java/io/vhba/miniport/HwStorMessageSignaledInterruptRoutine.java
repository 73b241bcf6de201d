package io.vhba.miniport;

/**
 * {@code HW_MESSAGE_SIGNALED_INTERRUPT_ROUTINE}: the MSI/MSI-X ISR, at DIRQL under the
 * interrupt lock, or the message's own lock with
 * {@link InterruptSynchronizationMode#INTERRUPT_SYNCHRONIZE_PER_MESSAGE}.
 */
@FunctionalInterface
public interface HwStorMessageSignaledInterruptRoutine<E> {
    boolean messageSignaledInterrupt(E deviceExtension, int messageId);
}
