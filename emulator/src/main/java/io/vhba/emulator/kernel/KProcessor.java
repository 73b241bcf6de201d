package io.vhba.emulator.kernel;

import io.netty.util.concurrent.EventExecutor;
import java.util.ArrayDeque;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * One simulated processor ({@code KPRCB}): its thread (a Netty event loop), its DPC queue and
 * its set of pending interrupts. Work aimed at it from another thread is handed over through
 * the event loop's task queue, once per batch.
 */
public final class KProcessor {
    private final int number;
    private volatile EventExecutor executor;
    private volatile Thread thread;

    private final ArrayDeque<KDpc> dpcQueue = new ArrayDeque<>();
    final ConcurrentLinkedQueue<KInterrupt> pendingInterrupts = new ConcurrentLinkedQueue<>();
    /** Set while a hand-over task is in the event loop's queue, so a burst costs one task. */
    final AtomicBoolean dispatchRequested = new AtomicBoolean();

    /**
     * Device work posted by register writes this processor made while holding a spin lock; run, on this processor's
     * thread only, when it releases its last one ({@link Kernel#postDeviceWork}).
     */
    final ArrayDeque<Runnable> postedWork = new ArrayDeque<>();

    /** {@link Kernel}'s dispatcher takes a DPC's two system arguments out of the queue into this, per processor. */
    final Object[] dpcArguments = new Object[2];

    final LongAdder dpcsRun = new LongAdder();
    final LongAdder isrsRun = new LongAdder();
    /** DPC latency and ISR time recorders; null while data-path metrics are off ({@link KernelMetrics}). */
    volatile KernelMetrics.ProcessorTiming timing;
    /** The DPC running now and since when, for the watchdog. */
    volatile KDpc runningDpc;
    volatile long runningDpcSinceNanos;
    /**
     * Set by the DPC watchdog while a DPC overstays its allotment: the processor is out of service (no new
     * connection is placed on it) until the DPC returns, if it ever does. Java cannot stop the thread.
     */
    volatile boolean hung;
    /** The virtual-time DPC watchdog reported the running DPC already (deterministic mode). */
    boolean watchdogReported;

    KProcessor(int number) {
        this.number = number;
    }

    public int number() {
        return number;
    }

    public EventExecutor executor() {
        return executor;
    }

    public Thread thread() {
        return thread;
    }

    void bind(EventExecutor executor, Thread thread) {
        this.executor = executor;
        this.thread = thread;
    }

    /** Whether the DPC watchdog has taken this processor out of service; see {@link #hung}. */
    public boolean isHung() {
        return hung;
    }

    public boolean isCurrent() {
        return Thread.currentThread() == thread;
    }

    public long dpcsRun() {
        return dpcsRun.sum();
    }

    public long isrsRun() {
        return isrsRun.sum();
    }

    public int dpcQueueDepth() {
        synchronized (dpcQueue) {
            return dpcQueue.size();
        }
    }

    /**
     * {@code MaximumDpcQueueDepth}'s default: a queue deeper than this is drained even for a DPC that would not
     * otherwise start it (Windows Internals, 7th ed., part 1, ch. 8, "DPC interrupts").
     */
    static final int MAXIMUM_DPC_QUEUE_DEPTH = 4;
    /** {@code MinimumDpcRate}'s default: below this many DPC requests per clock tick a LowImportance DPC drains at once. */
    static final int MINIMUM_DPC_RATE = 3;

    /** The DISPATCH software interrupt is requested: the next IRQL drop below DISPATCH_LEVEL drains the queue. */
    private boolean drainPending;
    /** DPC requests in the current clock tick, and the moving average per tick ({@code DpcRequestRate}). */
    private long rateTick;
    private int requestsThisTick;
    private int requestRate;
    /** A drain at the next clock tick is scheduled (for deferred DPCs). */
    final AtomicBoolean tickDrainScheduled = new AtomicBoolean();

    /**
     * Enqueues a DPC whose queued state the caller already claimed, and decides whether it requests the DISPATCH
     * software interrupt now, following "Organization of DPC Queues": HighImportance goes to the head, the others to
     * the tail. On the current processor the queue drains at once unless the DPC is LowImportance, the queue is no
     * deeper than {@link #MAXIMUM_DPC_QUEUE_DEPTH} and the request rate is at least {@link #MINIMUM_DPC_RATE}; on
     * another processor only MediumHighImportance, HighImportance or a queue deeper than the limit drain at once.
     * A DPC that does not wait for the next clock tick (or another drain).
     *
     * @return whether the queue must drain now
     */
    boolean enqueue(KDpc dpc, long nowNanos, boolean currentProcessor) {
        synchronized (dpcQueue) {
            DpcImportance importance = dpc.importance();
            if (importance == DpcImportance.HIGH) {
                dpcQueue.addFirst(dpc);
            } else {
                dpcQueue.addLast(dpc);
            }
            int rate = countRequest(nowNanos);
            boolean deep = dpcQueue.size() > MAXIMUM_DPC_QUEUE_DEPTH;
            boolean now = currentProcessor
                    ? importance != DpcImportance.LOW || deep || rate < MINIMUM_DPC_RATE
                    : importance == DpcImportance.HIGH || importance == DpcImportance.MEDIUM_HIGH || deep;
            drainPending |= now;
            return now;
        }
    }

    /** Counts one DPC request; returns the request rate (the per-tick average of the ticks before this one). */
    private int countRequest(long nowNanos) {
        long tick = nowNanos / Kernel.TICK_NANOS;
        if (tick != rateTick) {
            // KiUpdateRunTime halves the rate each tick and adds the tick's requests
            for (long t = rateTick; t < tick && t - rateTick < 32; t++) {
                requestRate = (requestRate + requestsThisTick) / 2;
                requestsThisTick = 0;
            }
            rateTick = tick;
        }
        requestsThisTick++;
        return requestRate;
    }

    /** Requests the DISPATCH software interrupt (the clock tick, a flush): the queue drains at the next chance. */
    void requestDrain() {
        synchronized (dpcQueue) {
            drainPending = true;
        }
    }

    /** Whether a drain is requested and there is something to drain. */
    boolean drainable() {
        synchronized (dpcQueue) {
            return drainPending && !dpcQueue.isEmpty();
        }
    }

    /**
     * Takes the next DPC and clears its queued state under the queue lock, so that the
     * routine can re-queue it (KiRetireDpcList clears DpcData before calling the routine).
     * Returns the DPC with its arguments captured in {@code args}, or null.
     */
    KDpc dequeue(Object[] args) {
        synchronized (dpcQueue) {
            if (!drainPending) {
                return null; // deferred DPCs wait for the software interrupt
            }
            KDpc d = dpcQueue.pollFirst();
            if (d == null) {
                drainPending = false; // drained: the interrupt is serviced
            }
            if (d != null) {
                args[0] = d.systemArgument1;
                args[1] = d.systemArgument2;
                d.queuedOn.set(null);
            }
            return d;
        }
    }

    boolean remove(KDpc dpc) {
        synchronized (dpcQueue) {
            if (dpcQueue.remove(dpc)) {
                dpc.queuedOn.set(null);
                return true;
            }
            return false;
        }
    }

    @Override
    public String toString() {
        return "CPU" + number;
    }
}
