package io.vhba.miniport.kernel;

/**
 * The kernel's DPC routines ({@code Ke*Dpc} in wdm.h), for drivers that may call the kernel
 * directly. Storport allows that to virtual miniports only; a physical miniport must use the
 * Storport wrappers ({@code StorPortInitializeDpc} / {@code StorPortIssueDpc}), and calling
 * these is a verifier finding (SDV HwStorPortProhibitedDDIs).
 *
 * <p>One DPC queue per simulated processor: a DPC already queued is not queued again; one
 * re-queued while its routine runs may run again at once on another processor, so its
 * routine serialises itself (a spin lock), not the queue.
 */
public interface KernelServices {

    /** {@code KeInitializeDpc}: binds the routine and its context; importance medium, target the inserting processor. */
    void initializeDpc(KDpc dpc, KDeferredRoutine deferredRoutine, Object deferredContext);

    /** {@code KeInsertQueueDpc}: false, and nothing done (the arguments are not replaced), when the DPC is already queued. */
    boolean insertQueueDpc(KDpc dpc, Object systemArgument1, Object systemArgument2);

    /** {@code KeRemoveQueueDpc}: true if the DPC was queued and is now removed; false if not queued (or already running). */
    boolean removeQueueDpc(KDpc dpc);

    /** {@code KeSetTargetProcessorDpc}: the processor whose queue the next insert uses. */
    void setTargetProcessorDpc(KDpc dpc, int number);

    /** {@code KeSetImportanceDpc}. */
    void setImportanceDpc(KDpc dpc, KDpcImportance importance);

    /**
     * {@code KeFlushQueuedDpcs}: returns once every DPC queued on any processor has run, and
     * any running one has returned. PASSIVE_LEVEL only.
     */
    void flushQueuedDpcs();

    /** {@code KeGetCurrentProcessorNumberEx}: the simulated processor the caller runs on (0 for other threads). */
    int getCurrentProcessorNumber();
}
