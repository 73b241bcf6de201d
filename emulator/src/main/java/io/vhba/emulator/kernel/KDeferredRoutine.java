package io.vhba.emulator.kernel;

/** {@code KDEFERRED_ROUTINE} / {@code CustomDpc}: runs at DISPATCH_LEVEL on the processor the DPC was queued to. */
@FunctionalInterface
public interface KDeferredRoutine {
    void run(KDpc dpc, Object deferredContext, Object systemArgument1, Object systemArgument2);
}
