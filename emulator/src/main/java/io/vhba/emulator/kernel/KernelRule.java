package io.vhba.emulator.kernel;

/** Kernel-level rules whose violation the kernel reports to its {@link KernelViolationSink}. */
public enum KernelRule {
    /** A spin lock acquired by the thread that already holds it: a deadlock on real hardware (SDV StorPortSpinLock). */
    SPIN_LOCK_DOUBLE_ACQUIRE,
    /** A lock acquired out of order: DPC, then StartIo, then interrupt (SDV StorPortSpinLock3). */
    SPIN_LOCK_ORDER,
    /** A lock released that the thread does not hold (SDV StorPortSpinLock4). */
    SPIN_LOCK_RELEASE_NOT_HELD,
    /** KeRaiseIrql to a lower level, or KeLowerIrql to a higher one (SDV SpChangeIrql). */
    IRQL_NOT_MONOTONIC,
    /** A lock taken at an IRQL above the lock's own level. */
    IRQL_TOO_HIGH_FOR_LOCK,
    /** A routine returned with a different IRQL than it was called at, or still holding locks. */
    IRQL_OR_LOCKS_LEAKED,
    /** A DPC ran longer than the watchdog allows (bug check 0x133 DPC_WATCHDOG_VIOLATION). */
    DPC_WATCHDOG,
    /** A level-triggered interrupt stayed asserted after its ISR claimed it many times in a row. */
    INTERRUPT_STORM,
    /** A routine that waits ({@code KeFlushQueuedDpcs}, {@code WdfDpcCancel(Wait)}) called above PASSIVE_LEVEL. */
    WAIT_AT_RAISED_IRQL,
    /** {@code WdfDpcCancel(Wait = TRUE)} from the DPC's own callback: it would wait for itself. */
    WDF_DPC_CANCEL_WAIT_IN_OWN_CALLBACK,
    /** A framework handle used after its object was deleted (WDF_INVALID_HANDLE). */
    WDF_HANDLE_DELETED,
    /** A framework routine that waits ({@code WdfDpcCancel(Wait)}, deleting a DPC) called above PASSIVE_LEVEL. */
    WDF_IRQL_MISMATCH,
    /** A DPC aimed at a processor that does not exist ({@code KeSetTargetProcessorDpc}, or a target set before insert). */
    DPC_TARGET_PROCESSOR_INVALID,
    /** KeFlushQueuedDpcs on a processor while another processor flushes: each would wait for the other. */
    DPC_FLUSH_DEADLOCK
}
