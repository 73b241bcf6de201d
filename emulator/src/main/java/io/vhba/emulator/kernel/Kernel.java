package io.vhba.emulator.kernel;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Future;
import io.vhba.emulator.kernel.sched.DeterministicScheduler;
import io.vhba.emulator.kernel.sched.SimulatedEventLoop;
import io.vhba.emulator.kernel.sched.SimulatedThreads;
import io.vhba.hw.PlatformThreads;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The simulated kernel: boots N processors, each one thread that is also a Netty event loop,
 * and implements IRQL, spin locks, DPC queues and interrupt delivery on them.
 *
 * <p>Delivery follows Windows: when a processor's IRQL drops below DIRQL its pending
 * interrupts run (ISR at the interrupt's DIRQL, holding its lock), and when it drops below
 * DISPATCH_LEVEL its DPC queue drains. Work aimed at another processor is handed over
 * through that processor's event loop task queue, once per burst.
 *
 * <p>In deterministic mode ({@link #boot(int, KernelViolationSink, DeterministicScheduler)}) each processor is a
 * {@link SimulatedEventLoop} of the scheduler instead, time is virtual, and the kernel's own waits (a contended spin
 * lock, a DPC flush) are scheduler waits; free-running, every such hook is one null check of {@link #det}.
 */
public final class Kernel implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Kernel.class);
    /** Windows' clock tick: 15.625 ms. */
    public static final long TICK_NANOS = 15_625_000L;
    /** Consecutive re-deliveries of an asserted line after which it counts as a storm. */
    private static final int STORM_LIMIT = 100_000;

    private final List<KProcessor> processors;
    /** The processors' Netty event loops and the acceptor, free-running; null in deterministic mode. */
    private final EventLoops loops;
    private final EventLoopGroup group;
    /** The deterministic scheduler, or null when free-running (the one branch every hook takes). */
    private final DeterministicScheduler det;
    private final Clock clock;
    private final PlatformThreads threads;
    private volatile KernelViolationSink sink;
    private final DpcWatchdog watchdog;
    private final long dpcWatchdogNanos;
    /** The timeline, or null (one check per event site). */
    private final io.vhba.emulator.trace.Tracer trace;
    /** Processors now inside KeFlushQueuedDpcs. */
    private final java.util.Set<KProcessor> flushing = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final java.util.Queue<Throwable> escaped = new java.util.concurrent.ConcurrentLinkedQueue<>();

    private Kernel(int count, KernelViolationSink sink, long dpcWatchdogNanos, DeterministicScheduler det) {
        this(count, sink, dpcWatchdogNanos, det, 0, null);
    }

    private Kernel(int count, KernelViolationSink sink, long dpcWatchdogNanos, DeterministicScheduler det,
                   int traceEvents, String traceDescription) {
        if (count < 1) {
            throw new IllegalArgumentException("at least one processor is needed, got " + count);
        }
        this.sink = sink;
        this.det = det;
        this.dpcWatchdogNanos = dpcWatchdogNanos;
        List<KProcessor> ps = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            ps.add(new KProcessor(i));
        }
        this.processors = List.copyOf(ps);
        Clock c = det != null ? det : Clock.system();
        this.trace = traceEvents > 0 ? new io.vhba.emulator.trace.Tracer(c, traceEvents, det != null, traceDescription,
                Kernel::traceProcessor, t -> {
                    String n = det == null ? null : det.currentName();
                    return n != null ? n : t.getName();
                }) : null;
        if (trace != null) {
            for (KProcessor p : processors) {
                trace.nameTrack(p.number() + 1, "CPU" + p.number());
            }
        }
        if (det != null) {
            this.clock = det;
            this.threads = new SimulatedThreads(det);
            this.loops = null;
            this.group = null;
            for (KProcessor p : processors) {
                SimulatedEventLoop loop = new SimulatedEventLoop(det, "cpu" + p.number()).start((r, name) -> {
                    ProcessorThread t = new ProcessorThread(null, r, name);
                    t.bind(p);
                    return t;
                });
                p.bind(loop, loop.thread());
            }
            det.setPointHook(this::dpcWatchdogAtPoint);
            this.watchdog = null;
            return;
        }
        this.clock = c;
        this.threads = new SystemClockThreads(clock);
        this.loops = new EventLoops(processors);
        this.group = loops.group;
        int i = 0;
        for (EventExecutor e : group) {
            KProcessor p = processors.get(i++);
            e.submit(() -> {
                ProcessorThread t = (ProcessorThread) Thread.currentThread();
                t.setName("cpu" + p.number());
                t.bind(p);
                p.bind(e, t);
            }).syncUninterruptibly();
        }
        this.watchdog = new DpcWatchdog(this, dpcWatchdogNanos);
    }

    /** Boots {@code processors} simulated processors. */
    public static Kernel boot(int processors, KernelViolationSink sink) {
        return new Kernel(processors, sink, TimeUnit.SECONDS.toNanos(5), null);
    }

    public static Kernel boot(int processors, KernelViolationSink sink, long dpcWatchdogNanos) {
        return new Kernel(processors, sink, dpcWatchdogNanos, null);
    }

    /**
     * Boots the processors as simulated threads of {@code scheduler} (deterministic mode). The caller must be a
     * simulated thread of it (the booting thread joins first), so that the processors register in a fixed order.
     */
    public static Kernel boot(int processors, KernelViolationSink sink, DeterministicScheduler scheduler) {
        return new Kernel(processors, sink, TimeUnit.SECONDS.toNanos(5), scheduler);
    }

    /**
     * Boots with every option: {@code scheduler} null for free-running; {@code traceEvents} 0 for no timeline, else
     * the ring's size, and {@code traceDescription} what the timeline's metadata says ran.
     */
    public static Kernel boot(int processors, KernelViolationSink sink, DeterministicScheduler scheduler, int traceEvents,
                              String traceDescription) {
        return new Kernel(processors, sink, TimeUnit.SECONDS.toNanos(5), scheduler, traceEvents, traceDescription);
    }

    /** Boots with every option, the DPC watchdog's limit {@code dpcWatchdogNanos} among them. */
    public static Kernel boot(int processors, KernelViolationSink sink, long dpcWatchdogNanos, DeterministicScheduler scheduler,
                              int traceEvents, String traceDescription) {
        return new Kernel(processors, sink, dpcWatchdogNanos, scheduler, traceEvents, traceDescription);
    }

    /** The timeline, or null when none was asked for. */
    public io.vhba.emulator.trace.Tracer trace() {
        return trace;
    }

    /** The calling thread's processor number for the timeline, or -1. */
    public static int traceProcessor() {
        KProcessor p = KThreadState.current().processor();
        return p == null ? -1 : p.number();
    }

    /** The deterministic scheduler, or null when free-running. */
    public DeterministicScheduler scheduler() {
        return det;
    }

    /** The kernel's time source: real, or the scheduler's virtual time. */
    public Clock clock() {
        return clock;
    }

    /** Threads, waits and workers for device models, the disk and the engine's work items, on the kernel's clock. */
    public PlatformThreads threads() {
        return threads;
    }

    /**
     * A scheduling point of the calling thread (a miniport-facing service call): one null check when free-running.
     * See docs/architecture.md, "Deterministic mode", for where points are and the rule that no Java monitor is held
     * across one.
     */
    public void schedulingPoint() {
        if (det != null) {
            det.point();
        }
    }

    /** Waits for {@code f}: a scheduler wait in deterministic mode, a blocking one otherwise. Rethrows its failure. */
    public void await(Future<?> f) {
        if (det != null && det.isSimulatedThread()) {
            det.block(f::isDone, null);
        }
        f.syncUninterruptibly();
    }

    public void setViolationSink(KernelViolationSink sink) {
        this.sink = sink;
    }

    KernelViolationSink sink() {
        return sink;
    }

    /** Reports a violation found by a layer built on the kernel (the DPC facades) to the kernel's sink. */
    public void report(KernelRule rule, long p2, long p3, long p4, String detail, Thread... involved) {
        sink.violation(rule, p2, p3, p4, detail, involved);
    }

    /** The processor a DPC is running on now, or null (for facades that wait for a running callback). */
    public KProcessor processorRunning(KDpc dpc) {
        for (KProcessor p : processors) {
            if (p.runningDpc == dpc) {
                return p;
            }
        }
        return null;
    }

    /**
     * The processors' event loops, for Netty channels (null in deterministic mode). {@code next()} skips a processor
     * the DPC watchdog has declared hung, so new connections land on processors that still run.
     */
    public EventLoopGroup eventLoopGroup() {
        return group;
    }

    /** One event loop that is not a processor, for listening sockets (null in deterministic mode). */
    public EventLoopGroup acceptorGroup() {
        return loops == null ? null : loops.acceptor;
    }

    public Class<? extends ServerChannel> serverChannelClass() {
        // deterministic mode serves sockets on a plain NIO loop of its own (IscsiServer)
        return loops != null ? loops.serverChannelClass() : io.netty.channel.socket.nio.NioServerSocketChannel.class;
    }

    public List<KProcessor> processors() {
        return processors;
    }

    /** DPCs run so far on every processor. */
    public long dpcsRun() {
        return processors().stream().mapToLong(KProcessor::dpcsRun).sum();
    }

    public KProcessor processor(int number) {
        return processors.get(number);
    }

    /** The processor the calling thread is, or null. */
    public KProcessor currentProcessor() {
        return KThreadState.current().processor();
    }

    /** The processor for {@code executor} (an event loop of this kernel), or null. */
    public KProcessor processorOf(EventExecutor executor) {
        for (KProcessor p : processors) {
            if (p.executor() == executor) {
                return p;
            }
        }
        return null;
    }

    // ---- IRQL ---------------------------------------------------------------------------

    public int currentIrql() {
        return KThreadState.current().irql;
    }

    /** {@code KeRaiseIrql}: returns the old IRQL. */
    public int raiseIrql(int newIrql) {
        KThreadState st = KThreadState.current();
        int old = st.irql;
        if (newIrql < old) {
            sink.violation(KernelRule.IRQL_NOT_MONOTONIC, old, newIrql, 0, "KeRaiseIrql from " + Irql.name(old) + " to " + Irql.name(newIrql));
            return old;
        }
        st.irql = newIrql;
        return old;
    }

    /** {@code KeLowerIrql}: delivers what became deliverable. */
    public void lowerIrql(int newIrql) {
        lowerIrql(KThreadState.current(), newIrql);
    }

    private void lowerIrql(KThreadState st, int newIrql) {
        if (newIrql > st.irql) {
            sink.violation(KernelRule.IRQL_NOT_MONOTONIC, st.irql, newIrql, 0, "KeLowerIrql from " + Irql.name(st.irql) + " to " + Irql.name(newIrql));
            return;
        }
        st.irql = newIrql;
        if (newIrql < Irql.DIRQL_MIN && st.processor() != null) {
            dispatch(st);
        }
    }

    // ---- spin locks ---------------------------------------------------------------------

    /** {@code KeAcquireSpinLock}: raises to the lock's level; returns the old IRQL. */
    public int acquire(KSpinLock lock) {
        KThreadState st = KThreadState.current();
        if (st.holds(lock)) {
            sink.violation(KernelRule.SPIN_LOCK_DOUBLE_ACQUIRE, lock.rank(), lock.level(), st.irql, lock + " is already held by this thread (held: " + st.heldLocks() + ")");
            throw new IllegalStateException("deadlock averted: " + lock + " acquired twice");
        }
        KSpinLock inner = st.innermostLock();
        if (lock.rank() != KSpinLock.RANK_NONE && inner != null && inner.rank() != KSpinLock.RANK_NONE
                && inner.rank() >= lock.rank()) {
            sink.violation(KernelRule.SPIN_LOCK_ORDER, lock.rank(), inner.rank(), st.irql, lock + " acquired while holding " + inner
                    + " (order: DPC lock, StartIo lock, interrupt lock)");
        }
        if (st.irql > lock.level()) {
            sink.violation(KernelRule.IRQL_TOO_HIGH_FOR_LOCK, lock.rank(), lock.level(), st.irql, lock + " acquired at " + Irql.name(st.irql));
        }
        int old = st.irql;
        if (lock.level() > st.irql) {
            st.irql = lock.level();
        }
        lockSpin(lock);
        if (trace != null) {
            lock.heldSince = trace.now();
        }
        st.pushLock(lock);
        return old;
    }

    /**
     * Takes the lock itself. Deterministic mode: a contended lock is a scheduling wait, never a JVM block, since its
     * holder is parked at a scheduling point and can only release it once it runs again.
     */
    private void lockSpin(KSpinLock lock) {
        if (det == null) {
            lock.lock();
            return;
        }
        while (!lock.tryLock()) {
            det.block(() -> !lock.isLocked(), null);
        }
    }

    /** {@code KeReleaseSpinLock}: lowers to {@code oldIrql}, delivering what became deliverable. */
    public void release(KSpinLock lock, int oldIrql) {
        KThreadState st = KThreadState.current();
        if (!st.popLock(lock)) {
            sink.violation(KernelRule.SPIN_LOCK_RELEASE_NOT_HELD, lock.rank(), lock.level(), st.irql, lock + " released but not held by this thread");
            return;
        }
        if (trace != null) {
            trace.lockHeld(lock.name(), lock.heldSince);
        }
        lock.unlock();
        runPostedWork(st);
        lowerIrql(st, Math.min(oldIrql, st.irql));
    }

    /**
     * Acquires several locks of the same rank as one (an interrupt lock that covers every MSI
     * message): order is checked against what the thread already holds, then they are taken
     * in array order.
     */
    public int acquireGroup(KSpinLock[] locks) {
        if (locks.length == 1) {
            return acquire(locks[0]);
        }
        KThreadState st = KThreadState.current();
        KSpinLock inner = st.innermostLock();
        int top = st.irql;
        for (KSpinLock lock : locks) {
            if (st.holds(lock)) {
                sink.violation(KernelRule.SPIN_LOCK_DOUBLE_ACQUIRE, lock.rank(), lock.level(), st.irql, lock + " is already held by this thread (held: " + st.heldLocks() + ")");
                throw new IllegalStateException("deadlock averted: " + lock + " acquired twice");
            }
            if (lock.rank() != KSpinLock.RANK_NONE && inner != null && inner.rank() != KSpinLock.RANK_NONE
                    && inner.rank() >= lock.rank()) {
                sink.violation(KernelRule.SPIN_LOCK_ORDER, lock.rank(), inner.rank(), st.irql, lock + " acquired while holding " + inner);
            }
            top = Math.max(top, lock.level());
        }
        int old = st.irql;
        st.irql = top;
        for (KSpinLock lock : locks) {
            lockSpin(lock);
            if (trace != null) {
                lock.heldSince = trace.now();
            }
            st.pushLock(lock);
        }
        return old;
    }

    /** Releases a group taken with {@link #acquireGroup}, in reverse order. */
    public void releaseGroup(KSpinLock[] locks, int oldIrql) {
        if (locks.length == 1) {
            release(locks[0], oldIrql);
            return;
        }
        KThreadState st = KThreadState.current();
        for (int i = locks.length - 1; i >= 0; i--) {
            if (!st.popLock(locks[i])) {
                sink.violation(KernelRule.SPIN_LOCK_RELEASE_NOT_HELD, locks[i].rank(), locks[i].level(), st.irql, locks[i] + " released but not held by this thread");
                return;
            }
            if (trace != null) {
                trace.lockHeld(locks[i].name(), locks[i].heldSince);
            }
            locks[i].unlock();
        }
        runPostedWork(st);
        lowerIrql(st, Math.min(oldIrql, st.irql));
    }

    // ---- DPCs ---------------------------------------------------------------------------

    /**
     * {@code KeInsertQueueDpc}: false, and nothing done, when the DPC is already queued. The
     * target is the DPC's target processor, else the calling processor (processor 0 for a
     * thread that is not a processor).
     */
    public boolean insertQueueDpc(KDpc dpc, Object systemArgument1, Object systemArgument2) {
        KThreadState st = KThreadState.current();
        int number = dpc.targetProcessor();
        if (number >= processors.size()) {
            sink.violation(KernelRule.DPC_TARGET_PROCESSOR_INVALID, number, processors.size(), 0, dpc
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
        dpc.queuedNanos = timing != null && timing.sampleDpc() ? nanoTime() : 0;
        // a thread that is no processor counts as running on processor 0 for a DPC without a target
        boolean current = target == st.processor() || (st.processor() == null && number < 0);
        boolean drainNow = target.enqueue(dpc, nanoTime(), current);
        if (!drainNow) {
            drainAtNextTick(target);
        } else if (target == st.processor()) {
            if (st.irql < Irql.DISPATCH_LEVEL) {
                dispatch(st); // the DISPATCH software interrupt fires at once
            }
        } else {
            requestDispatch(target);
        }
        return true;
    }

    /** A deferred DPC runs at the next clock tick at the latest (KiUpdateRunTime requests the DPC interrupt). */
    private void drainAtNextTick(KProcessor p) {
        if (p.tickDrainScheduled.compareAndSet(false, true)) {
            long wait = TICK_NANOS - Math.floorMod(nanoTime(), TICK_NANOS);
            p.executor().schedule(() -> {
                p.tickDrainScheduled.set(false);
                p.requestDrain();
                dispatchCatching(p);
            }, wait, TimeUnit.NANOSECONDS);
        }
    }

    /** {@code KeRemoveQueueDpc}: true if the DPC was queued and is now removed. */
    public boolean removeQueueDpc(KDpc dpc) {
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
    public void flushQueuedDpcs() {
        int irql = currentIrql();
        if (irql > Irql.PASSIVE_LEVEL) {
            sink.violation(KernelRule.WAIT_AT_RAISED_IRQL, irql, Irql.PASSIVE_LEVEL, 0,
                    "KeFlushQueuedDpcs at " + Irql.name(irql) + " (must be PASSIVE_LEVEL)");
            return;
        }
        KProcessor self = currentProcessor();
        if (self != null) {
            flushing.add(self);
        }
        try {
            if (self != null) {
                for (KProcessor other : flushing) {
                    if (other != self) {
                        // each would wait for the other's flush task, which neither runs while it waits
                        sink.violation(KernelRule.DPC_FLUSH_DEADLOCK, self.number(), other.number(), 0,
                                "KeFlushQueuedDpcs on " + self + " while " + other + " flushes too: the two would wait "
                                        + "for each other (a waiting processor thread is not preempted here)", other.thread());
                    }
                }
            }
            for (KProcessor p : processors) {
                if (p == self) {
                    p.requestDrain();
                    dispatch(KThreadState.current());
                } else if (self == null || !flushing.contains(p)) {
                    await(p.executor().submit(() -> {
                        p.requestDrain();
                        dispatch(KThreadState.current());
                    }));
                }
            }
        } finally {
            if (self != null) {
                flushing.remove(self);
            }
        }
    }

    /** Failures a sink let out of a DPC or ISR on a loop's own dispatch, where nobody waits: rethrown by close. */
    public List<Throwable> escapedFailures() {
        return List.copyOf(escaped);
    }

    // ---- posted device work -------------------------------------------------------------

    /**
     * A device's work for a posted register write ({@code DeviceContext.post}). On a processor holding a spin lock
     * (StartIo under the StartIo lock, an ISR under its interrupt lock) it waits until that processor releases its
     * last lock, so no lock is held across device work; a processor holding none, or a thread that is no processor,
     * runs it at once. It always runs on the writing processor, with no hand-off: the device simply finished a
     * little after the write, an interleaving real hardware produces too.
     */
    public void postDeviceWork(Runnable work) {
        KThreadState st = KThreadState.current();
        KProcessor p = st.processor();
        if (p == null || st.innermostLock() == null) {
            runDeviceWork(work);
        } else {
            p.postedWork.addLast(work);
        }
    }

    /** Runs what this processor's writes posted, once it holds no spin lock (work may post more). */
    private void runPostedWork(KThreadState st) {
        KProcessor p = st.processor();
        if (p == null || st.innermostLock() != null) {
            return;
        }
        Runnable w;
        while ((w = p.postedWork.pollFirst()) != null) {
            if (det != null) {
                det.point(); // the device starts on the doorbell's work: others may run first
            }
            runDeviceWork(w);
        }
    }

    private void runDeviceWork(Runnable work) {
        long begin = trace == null ? 0 : trace.now();
        try {
            work.run();
        } catch (RuntimeException | Error e) {
            io.vhba.emulator.kernel.sched.SchedulerTermination.rethrowIf(e);
            // A device model's own failure, not the driver's: no bug check; logged, and the processor goes on.
            LOG.error("device work failed", e);
        }
        if (trace != null) {
            trace.complete("device work", "device", begin);
        }
    }

    // ---- interrupts ---------------------------------------------------------------------

    /** A device signals an edge interrupt (an MSI-X message). */
    public void signal(KInterrupt ki) {
        ki.signals.increment();
        makePending(ki);
    }

    /** A device asserts a level-triggered line. */
    public void assertLine(KInterrupt ki) {
        ki.signals.increment();
        ki.setAsserted(true);
        makePending(ki);
    }

    /** A device deasserts a level-triggered line. */
    public void deassertLine(KInterrupt ki) {
        ki.setAsserted(false);
    }

    /** Unmasks an interrupt, delivering it if it became pending while masked. */
    public void unmask(KInterrupt ki) {
        ki.setMasked(false);
        if (ki.pending.get()) {
            ki.affinity().pendingInterrupts.add(ki);
            requestDispatch(ki.affinity());
        }
    }

    private void makePending(KInterrupt ki) {
        if (!ki.pending.compareAndSet(false, true)) {
            return; // coalesced with the one not yet serviced
        }
        KProcessor p = ki.affinity();
        if (ki.isMasked()) {
            return; // stays pending until unmask
        }
        p.pendingInterrupts.add(ki);
        KThreadState st = KThreadState.current();
        if (st.processor() != p || st.irql < Irql.DISPATCH_LEVEL) {
            // On this processor above PASSIVE the next IRQL drop delivers it; otherwise hand over.
            requestDispatch(p);
        }
    }

    private void requestDispatch(KProcessor p) {
        if (p.dispatchRequested.compareAndSet(false, true)) {
            p.executor().execute(() -> {
                p.dispatchRequested.set(false);
                dispatchCatching(p);
            });
        }
    }

    /** A dispatch nobody waits for: a failure a throwing sink let out is kept for {@link #close()}. */
    private void dispatchCatching(KProcessor p) {
        try {
            dispatch(KThreadState.current());
        } catch (RuntimeException | Error e) {
            io.vhba.emulator.kernel.sched.SchedulerTermination.rethrowIf(e);
            escaped.add(e);
            LOG.error("{}: a DPC or ISR failure escaped to the processor's loop", p, e);
        }
    }

    // ---- the dispatcher -----------------------------------------------------------------

    private void dispatch(KThreadState st) {
        KProcessor p = st.processor();
        if (p == null) {
            return;
        }
        int base = st.irql;
        // The processor's own: only its thread dispatches, and a nested dispatch (a DPC lowering the IRQL) reuses it
        // after runDpc has taken the two arguments out.
        Object[] args = p.dpcArguments;
        for (;;) {
            if (base < Irql.DIRQL_MIN) {
                KInterrupt ki = p.pendingInterrupts.poll();
                if (ki != null) {
                    deliver(st, p, ki, base);
                    continue;
                }
            }
            if (base < Irql.DISPATCH_LEVEL) {
                if (det != null && p.drainable()) {
                    det.point(); // the processor takes its next DPC: an interrupt or another processor may come first
                    if (base < Irql.DIRQL_MIN && !p.pendingInterrupts.isEmpty()) {
                        continue;
                    }
                }
                KDpc d = p.dequeue(args);
                if (d != null) {
                    runDpc(st, p, d, args[0], args[1], base);
                    continue;
                }
            }
            return;
        }
    }

    private void deliver(KThreadState st, KProcessor p, KInterrupt ki, int base) {
        if (ki.isMasked()) {
            return; // stays pending (ki.pending is still set) until unmask
        }
        int storm = 0;
        boolean again;
        do {
            ki.pending.set(false);
            st.irql = ki.level();
            lockSpin(ki.lock());
            long begin = 0;
            if (trace != null) {
                begin = trace.now();
                ki.lock().heldSince = begin;
            }
            st.pushLock(ki.lock());
            String prev = st.enterRoutine(ki.routineLabel());
            boolean claimed = false;
            KernelMetrics.ProcessorTiming timing = p.timing;
            boolean timed = timing != null && timing.sampleIsr();
            long isrStart = timed ? nanoTime() : 0;
            try {
                claimed = ki.isr().service(ki);
            } catch (RuntimeException | Error e) {
                io.vhba.emulator.kernel.sched.SchedulerTermination.rethrowIf(e);
                routineFailed(ki.routineLabel(), e);
            } finally {
                if (timed) {
                    timing.isrTime(nanoTime() - isrStart);
                }
                checkBalancedQuietly(st, ki.routineLabel(), ki.lock(), ki.level());
                st.popLock(ki.lock());
                if (trace != null) {
                    trace.lockHeld(ki.lock().name(), ki.lock().heldSince);
                    trace.complete(ki.routineLabel(), "isr", begin);
                }
                ki.lock().unlock();
                st.exitRoutine(prev);
                runPostedWork(st); // at DIRQL still: what the device raises now waits for the drop below
                st.irql = base;
            }
            p.isrsRun.increment();
            ki.delivered.increment();
            if (claimed) {
                ki.claimed.increment();
            }
            again = ki.isLevelTriggered() && ki.isAsserted() && ki.pending.compareAndSet(false, true);
            if (again && ++storm > STORM_LIMIT) {
                ki.setMasked(true);
                sink.violation(KernelRule.INTERRUPT_STORM, ki.level(), STORM_LIMIT, p.number(), ki + " stayed asserted after " + STORM_LIMIT + " ISR runs; masked");
                return;
            }
        } while (again);
    }

    private void runDpc(KThreadState st, KProcessor p, KDpc d, Object a1, Object a2, int base) {
        st.irql = Irql.DISPATCH_LEVEL;
        long now = nanoTime();
        p.runningDpcSinceNanos = now;
        p.watchdogReported = false;
        KernelMetrics.ProcessorTiming timing = p.timing;
        if (timing != null && d.queuedNanos != 0) {
            timing.dpcLatency(now - d.queuedNanos);
        }
        p.runningDpc = d;
        String prev = st.enterRoutine(d.routineLabel());
        long begin = trace == null ? 0 : trace.now();
        try {
            d.routine().run(d, d.deferredContext(), a1, a2);
        } catch (RuntimeException | Error e) {
            io.vhba.emulator.kernel.sched.SchedulerTermination.rethrowIf(e);
            routineFailed(d.routineLabel(), e);
        } finally {
            checkBalancedQuietly(st, d.routineLabel(), null, Irql.DISPATCH_LEVEL);
            if (trace != null) {
                trace.complete(d.routineLabel(), "dpc", begin);
            }
            p.runningDpc = null;
            if (p.hung) {
                p.hung = false;
                LOG.warn("{}: {} returned after {} ms; the processor is back in service", p, d,
                        (nanoTime() - p.runningDpcSinceNanos) / 1_000_000);
            }
            st.exitRoutine(prev);
            st.irql = base;
            p.dpcsRun.increment();
        }
    }

    /**
     * {@link #checkBalanced} after the routine returned: a sink that throws to unwind has
     * nothing left to unwind, and the processor's state must still be restored after it.
     */
    private void checkBalancedQuietly(KThreadState st, String routine, KSpinLock given, int level) {
        try {
            checkBalanced(st, routine, given, level);
        } catch (RuntimeException reported) {
            LOG.debug("{} reported after return: {}", routine, reported.getMessage());
        }
    }

    /** A routine must return at the IRQL it was called at, holding exactly the locks it was given. */
    private void checkBalanced(KThreadState st, String routine, KSpinLock given, int level) {
        KSpinLock inner = st.innermostLock();
        if (inner != given || st.irql != level) {
            String detail = routine + " returned at " + Irql.name(st.irql) + " holding " + st.heldLocks();
            int returnedAt = st.irql;
            int leaked = 0;
            // Release what leaked so the processor survives the report.
            while (st.innermostLock() != null && st.innermostLock() != given) {
                KSpinLock l = st.innermostLock();
                st.popLock(l);
                l.unlock();
                leaked++;
            }
            st.irql = level;
            sink.violation(KernelRule.IRQL_OR_LOCKS_LEAKED, returnedAt, level, leaked, detail);
        }
    }

    /**
     * Hands a routine's failure to the sink. A sink that rethrows it (policy THROW, {@link KernelViolationSink#THROWING})
     * makes it reach whoever waits on the work that ran the routine: the processor's state is restored by then.
     */
    private void routineFailed(String routine, Throwable t) {
        sink.routineFailed(routine, t);
    }

    // ---- time ---------------------------------------------------------------------------

    /** Nanoseconds since boot: real, or virtual in deterministic mode. */
    public long nanoTime() {
        return clock.nanoTime();
    }

    /** The epoch of a deterministic run's wall clock: every run starts on 2026-01-01 at midnight UTC. */
    public static final java.time.Instant DETERMINISTIC_EPOCH = java.time.Instant.parse("2026-01-01T00:00:00Z");

    /** {@code KeQuerySystemTime}'s clock: real, or the fixed epoch plus virtual time in deterministic mode. */
    public java.time.Instant systemTime() {
        return det == null ? java.time.Instant.now() : DETERMINISTIC_EPOCH.plusNanos(det.nanoTime());
    }

    /** {@code KeQueryTickCount}: 15.625 ms ticks since boot. */
    public long tickCount() {
        return nanoTime() / TICK_NANOS;
    }

    /** {@code KeStallExecutionProcessor}: busy-waits, as the real routine does (virtual time: the clock moves on). */
    public void stallExecution(long micros) {
        clock.busy(micros * 1000L);
    }

    /** The DPC watchdog in virtual time: checked at each scheduling point of a processor running a DPC. */
    private void dpcWatchdogAtPoint() {
        KProcessor p = currentProcessor();
        if (p == null || p.runningDpc == null) {
            return;
        }
        long ran = nanoTime() - p.runningDpcSinceNanos;
        if (ran > dpcWatchdogNanos && !p.watchdogReported) {
            p.watchdogReported = true;
            long ms = ran / 1_000_000;
            try {
                sink.violation(KernelRule.DPC_WATCHDOG, p.number(), ms, dpcWatchdogNanos / 1_000_000, p.runningDpc
                        + " has run " + ms + " ms of virtual time on CPU" + p.number() + " (limit "
                        + dpcWatchdogNanos / 1_000_000 + " ms)", p.thread());
            } catch (RuntimeException reported) {
                LOG.debug("DPC watchdog report: {}", reported.getMessage());
            }
        }
    }

    /** Runs {@code task} at PASSIVE_LEVEL on {@code p}'s thread. */
    public void execute(KProcessor p, Runnable task) {
        p.executor().execute(task);
    }

    /**
     * Stops the processors. A failure a throwing sink let out of a DPC or ISR on a loop's own dispatch (nobody waited on
     * it) is rethrown here, so a test sees it.
     */
    @Override
    public void close() {
        if (det != null) {
            for (KProcessor p : processors) {
                Future<?> f = p.executor().shutdownGracefully(0, 2, TimeUnit.SECONDS);
                if (det.isSimulatedThread()) {
                    await(f);
                }
            }
        } else {
            watchdog.close();
            loops.close(); // one stuck in driver code is interrupted, then abandoned (see EventLoops#close)
        }
        Throwable first = escaped.poll();
        if (first != null) {
            for (Throwable more = escaped.poll(); more != null; more = escaped.poll()) {
                first.addSuppressed(more);
            }
            if (first instanceof Error e) {
                throw e;
            }
            throw (RuntimeException) first;
        }
    }
}
