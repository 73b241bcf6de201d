package io.vhba.miniport.kernel;

/**
 * {@code KDEFERRED_ROUTINE} ({@code CustomDpc}): runs at DISPATCH_LEVEL on the processor whose
 * queue held the DPC, with the context given to {@code KeInitializeDpc} and the two arguments
 * given to the {@code KeInsertQueueDpc} that queued it.
 */
@FunctionalInterface
public interface KDeferredRoutine {
    void customDpc(KDpc dpc, Object deferredContext, Object systemArgument1, Object systemArgument2);
}
