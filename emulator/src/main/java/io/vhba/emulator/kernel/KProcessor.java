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

    final LongAdder dpcsRun = new LongAdder();
    final LongAdder isrsRun = new LongAdder();
    /** The DPC running now and since when, for the watchdog. */
    volatile KDpc runningDpc;
    volatile long runningDpcSinceNanos;
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

    /** Enqueues a DPC whose queued state the caller already claimed. */
    void enqueue(KDpc dpc) {
        synchronized (dpcQueue) {
            if (dpc.importance() == DpcImportance.HIGH) {
                dpcQueue.addFirst(dpc);
            } else {
                dpcQueue.addLast(dpc);
            }
        }
    }

    /**
     * Takes the next DPC and clears its queued state under the queue lock, so that the
     * routine can re-queue it (KiRetireDpcList clears DpcData before calling the routine).
     * Returns the DPC with its arguments captured in {@code args}, or null.
     */
    KDpc dequeue(Object[] args) {
        synchronized (dpcQueue) {
            KDpc d = dpcQueue.pollFirst();
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
