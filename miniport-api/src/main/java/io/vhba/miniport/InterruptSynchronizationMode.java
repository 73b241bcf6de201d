package io.vhba.miniport;

/** {@code INTERRUPT_SYNCHRONIZATION_MODE}: how message-signalled interrupts are serialised. */
public enum InterruptSynchronizationMode {
    /** {@code InterruptSupportNone}: the adapter has no MSI routine. */
    INTERRUPT_SUPPORT_NONE,
    /** {@code InterruptSynchronizeAll}: every message takes the one interrupt lock. */
    INTERRUPT_SYNCHRONIZE_ALL,
    /** {@code InterruptSynchronizePerMessage}: each message has its own lock ({@code StorPortAcquireMSISpinLock}). */
    INTERRUPT_SYNCHRONIZE_PER_MESSAGE
}
