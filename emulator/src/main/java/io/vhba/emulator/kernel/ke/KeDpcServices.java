package io.vhba.emulator.kernel.ke;

import io.vhba.emulator.kernel.DpcImportance;
import io.vhba.emulator.kernel.KProcessor;
import io.vhba.emulator.kernel.KernelRule;
import io.vhba.emulator.kernel.Kernel;
import io.vhba.miniport.kernel.KDeferredRoutine;
import io.vhba.miniport.kernel.KDpc;
import io.vhba.miniport.kernel.KDpcImportance;
import io.vhba.miniport.kernel.KernelServices;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The {@code Ke*Dpc} facade over the simulated kernel's DPC queues: a driver's {@link KDpc}
 * is bound to one kernel DPC at {@code KeInitializeDpc}, and every routine maps one-to-one
 * onto the kernel's, so queued-once, re-queue-while-running, target processor, importance,
 * removal and flush behave exactly as for Storport's own DPCs.
 */
public final class KeDpcServices implements KernelServices {
    private static final Map<KDpcImportance, DpcImportance> IMPORTANCE = new EnumMap<>(Map.of(
            KDpcImportance.LOW_IMPORTANCE, DpcImportance.LOW,
            KDpcImportance.MEDIUM_IMPORTANCE, DpcImportance.MEDIUM,
            KDpcImportance.MEDIUM_HIGH_IMPORTANCE, DpcImportance.MEDIUM_HIGH,
            KDpcImportance.HIGH_IMPORTANCE, DpcImportance.HIGH));

    private final Kernel kernel;
    private final Consumer<String> callCheck;
    /** Names of the kernel DPCs behind the driver's KDPCs: a counter, not an identity hash, so a replay names them alike. */
    private final java.util.concurrent.atomic.AtomicInteger ids = new java.util.concurrent.atomic.AtomicInteger();

    /**
     * @param callCheck runs before each routine with its wdm.h name, so a port can refuse
     *                  callers that may not use the kernel directly (it reports and may throw)
     */
    public KeDpcServices(Kernel kernel, Consumer<String> callCheck) {
        this.kernel = kernel;
        this.callCheck = callCheck;
    }

    public KeDpcServices(Kernel kernel) {
        this(kernel, routine -> { });
    }

    /** A scheduling point, then the port's check of the caller. */
    private void enter(String routine) {
        kernel.schedulingPoint();
        callCheck.accept(routine);
    }

    private io.vhba.emulator.kernel.KDpc bound(KDpc dpc, String routine) {
        if (dpc == null) {
            throw new IllegalArgumentException(routine + " with a null KDPC");
        }
        if (!(dpc.portContext() instanceof io.vhba.emulator.kernel.KDpc k)) {
            throw new IllegalStateException(routine + " on a KDPC that KeInitializeDpc did not initialise");
        }
        return k;
    }

    @Override
    public void initializeDpc(KDpc dpc, KDeferredRoutine deferredRoutine, Object deferredContext) {
        enter("KeInitializeDpc");
        if (dpc == null || deferredRoutine == null) {
            throw new IllegalArgumentException("KeInitializeDpc needs a KDPC and a DeferredRoutine");
        }
        if (dpc.portContext() instanceof io.vhba.emulator.kernel.KDpc old && old.isQueued()) {
            // Re-initialising a queued KDPC corrupts the processor's DPC list on Windows.
            throw new IllegalStateException("KeInitializeDpc on a KDPC that is still queued");
        }
        dpc.bindPortContext(new io.vhba.emulator.kernel.KDpc("KDPC#" + ids.incrementAndGet(),
                (k, ctx, a1, a2) -> deferredRoutine.customDpc(dpc, ctx, a1, a2), deferredContext));
    }

    @Override
    public boolean insertQueueDpc(KDpc dpc, Object systemArgument1, Object systemArgument2) {
        enter("KeInsertQueueDpc");
        return kernel.insertQueueDpc(bound(dpc, "KeInsertQueueDpc"), systemArgument1, systemArgument2);
    }

    @Override
    public boolean removeQueueDpc(KDpc dpc) {
        enter("KeRemoveQueueDpc");
        return kernel.removeQueueDpc(bound(dpc, "KeRemoveQueueDpc"));
    }

    @Override
    public void setTargetProcessorDpc(KDpc dpc, int number) {
        enter("KeSetTargetProcessorDpc");
        if (number < 0 || number >= kernel.processors().size()) {
            // KeSetTargetProcessorDpc takes a CCHAR and trusts it; an insert aimed at a missing processor corrupts
            // another processor's DPC queue on Windows. Here: the bug check, and the DPC keeps its old target.
            kernel.report(KernelRule.DPC_TARGET_PROCESSOR_INVALID, number, kernel.processors().size(), 0,
                    "KeSetTargetProcessorDpc(" + number + "): there are " + kernel.processors().size() + " processors");
            return;
        }
        bound(dpc, "KeSetTargetProcessorDpc").setTargetProcessor(number);
    }

    @Override
    public void setImportanceDpc(KDpc dpc, KDpcImportance importance) {
        enter("KeSetImportanceDpc");
        if (importance == null) {
            throw new IllegalArgumentException("KeSetImportanceDpc with a null importance");
        }
        bound(dpc, "KeSetImportanceDpc").setImportance(IMPORTANCE.get(importance));
    }

    @Override
    public void flushQueuedDpcs() {
        enter("KeFlushQueuedDpcs");
        kernel.flushQueuedDpcs();
    }

    @Override
    public int getCurrentProcessorNumber() {
        KProcessor p = kernel.currentProcessor();
        return p == null ? 0 : p.number();
    }
}
