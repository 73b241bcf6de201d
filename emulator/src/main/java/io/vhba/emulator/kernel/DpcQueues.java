package io.vhba.emulator.kernel;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The {@link Kernel}'s DPC queue services: {@code KeInsertQueueDpc} (target processor, importance and the drain rule
 * of {@link KProcessor#enqueue}), the clock tick that bounds a deferred DPC's delay, {@code KeRemoveQueueDpc} and
 * {@code KeFlushQueuedDpcs}. Running the queued DPCs is the {@link Dispatcher}'s.
 */
final class DpcQueues {
    private final Kernel kernel;
    private final List<KProcessor> processors;
    private final Dispatcher dispatcher;
    /** Processors now inside KeFlushQueuedDpcs. */
    private final Set<KProcessor> flushing = ConcurrentHashMap.newKeySet();

    DpcQueues(Kernel kernel, List<KProcessor> processors, Dispatcher dispatcher) {
        this.kernel = kernel;
        this.processors = processors;
        this.dispatcher = dispatcher;
    }

    /**
     * {@code KeInsertQueueDpc}: false, and nothing done, when the DPC is already queued. The
     * target is the DPC's target processor, else the calling processor (processor 0 for a
     * thread that is not a processor).
     */
    boolean insertQueueDpc(KDpc dpc, Object systemArgument1, Object systemArgument2) {
        KThreadState st = KThreadState.current();
        int number = dpc.targetProcessor();
        if (number >= processors.size()) {
            kernel.sink().violation(KernelRule.DPC_TARGET_PROCESSOR_INVALID, number, processors.size(), 0, dpc
                    + " is aimed at processor " + number + ", and there are " + processors.size());
            return false;
        }
        KProcessor target = number >= 0 ? processors.get(number)
                : st.processor() != null ? st.processor() : processors.get(0);
        if (!dpc.queuedOn.compareAndSet(null, target)) {
            return false;
        }
        dpc.systemArgument1 = systemArgument1;
        dpc.systemArgument2 = systemArgument2;
        KernelMetrics.ProcessorTiming timing = target.timing;
        dpc.queuedNanos = timing != null && timing.sampleDpc() ? kernel.nanoTime() : 0;
        // a thread that is no processor counts as running on processor 0 for a DPC without a target
        boolean current = target == st.processor() || (st.processor() == null && number < 0);
        boolean drainNow = target.enqueue(dpc, kernel.nanoTime(), current);
        if (!drainNow) {
            drainAtNextTick(target);
        } else if (target == st.processor()) {
            if (st.irql < Irql.DISPATCH_LEVEL) {
                dispatcher.dispatch(st); // the DISPATCH software interrupt fires at once
            }
        } else {
            dispatcher.requestDispatch(target);
        }
        return true;
    }

    /** A deferred DPC runs at the next clock tick at the latest (KiUpdateRunTime requests the DPC interrupt). */
    private void drainAtNextTick(KProcessor p) {
        if (p.tickDrainScheduled.compareAndSet(false, true)) {
            long wait = Kernel.TICK_NANOS - Math.floorMod(kernel.nanoTime(), Kernel.TICK_NANOS);
            p.executor().schedule(() -> {
                p.tickDrainScheduled.set(false);
                p.requestDrain();
                dispatcher.dispatchCatching(p);
            }, wait, TimeUnit.NANOSECONDS);
        }
    }

    /** {@code KeRemoveQueueDpc}: true if the DPC was queued and is now removed. */
    boolean removeQueueDpc(KDpc dpc) {
        KProcessor p = dpc.queuedOn.get();
        return p != null && p.remove(dpc);
    }

    /**
     * {@code KeFlushQueuedDpcs}: returns once every DPC queued before the call has run, and
     * every DPC running at the call has returned (each processor runs the flush task only
     * after its current DPC). Must be called at PASSIVE_LEVEL: above it the call is reported
     * and does not wait, since waiting at DISPATCH_LEVEL would deadlock the processor.
     * Difference from Windows: a waiting processor thread is not preempted, so two processor
     * threads flushing at the same moment would wait for each other; flush from a work item
     * or another non-processor thread, or from one processor at a time.
     */
    void flushQueuedDpcs() {
        int irql = kernel.currentIrql();
        if (irql > Irql.PASSIVE_LEVEL) {
            kernel.sink().violation(KernelRule.WAIT_AT_RAISED_IRQL, irql, Irql.PASSIVE_LEVEL, 0,
                    "KeFlushQueuedDpcs at " + Irql.name(irql) + " (must be PASSIVE_LEVEL)");
            return;
        }
        KProcessor self = kernel.currentProcessor();
        if (self != null) {
            flushing.add(self);
        }
        try {
            if (self != null) {
                for (KProcessor other : flushing) {
                    if (other != self) {
                        // each would wait for the other's flush task, which neither runs while it waits
                        kernel.sink().violation(KernelRule.DPC_FLUSH_DEADLOCK, self.number(), other.number(), 0,
                                "KeFlushQueuedDpcs on " + self + " while " + other + " flushes too: the two would wait "
                                        + "for each other (a waiting processor thread is not preempted here)", other.thread());
                    }
                }
            }
            for (KProcessor p : processors) {
                if (p == self) {
                    p.requestDrain();
                    dispatcher.dispatch(KThreadState.current());
                } else if (self == null || !flushing.contains(p)) {
                    kernel.await(p.executor().submit(() -> {
                        p.requestDrain();
                        dispatcher.dispatch(KThreadState.current());
                    }));
                }
            }
        } finally {
            if (self != null) {
                flushing.remove(self);
            }
        }
    }
}
