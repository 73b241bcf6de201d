package io.vhba.emulator.kernel;

import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code KDPC}. Initialised once ({@code KeInitializeDpc}); inserted with
 * {@link Kernel#insertQueueDpc}. A DPC already in a queue is not queued again (the insert
 * returns false). The queued state is cleared just before the routine runs, so a DPC
 * re-queued while it runs may run again, possibly on another processor at the same time:
 * serialisation is the routine's business (Storport's DPC lock), not the queue's.
 */
public final class KDpc {
    private final String name;
    /** "DPC name", the routine label the verifier shows; built once, not per run (the hot path). */
    private final String routineLabel;
    private final KDeferredRoutine routine;
    private final Object deferredContext;
    private volatile DpcImportance importance = DpcImportance.MEDIUM;
    private volatile int targetProcessor = -1;

    /** {@code DpcData}: the processor whose queue holds this DPC, or null. */
    final AtomicReference<KProcessor> queuedOn = new AtomicReference<>();
    volatile Object systemArgument1;
    volatile Object systemArgument2;
    /**
     * When it was last queued, for the DPC latency meter (0 when not measured). Written before the queue's lock
     * is taken to enqueue it and read after the lock dequeued it, so the queue lock orders the two.
     */
    long queuedNanos;

    /** {@code KeInitializeDpc}. */
    public KDpc(String name, KDeferredRoutine routine, Object deferredContext) {
        this.name = name;
        this.routineLabel = "DPC " + name;
        this.routine = routine;
        this.deferredContext = deferredContext;
    }

    public String name() {
        return name;
    }

    String routineLabel() {
        return routineLabel;
    }

    KDeferredRoutine routine() {
        return routine;
    }

    public Object deferredContext() {
        return deferredContext;
    }

    public DpcImportance importance() {
        return importance;
    }

    /** {@code KeSetImportanceDpc}. */
    public void setImportance(DpcImportance importance) {
        this.importance = importance;
    }

    /** The target processor number, or -1 for the processor that inserts the DPC. */
    public int targetProcessor() {
        return targetProcessor;
    }

    /** {@code KeSetTargetProcessorDpc}. */
    public void setTargetProcessor(int processor) {
        this.targetProcessor = processor;
    }

    /** True while the DPC sits in a queue (not while it runs). */
    public boolean isQueued() {
        return queuedOn.get() != null;
    }

    @Override
    public String toString() {
        return "KDPC[" + name + "]";
    }
}
