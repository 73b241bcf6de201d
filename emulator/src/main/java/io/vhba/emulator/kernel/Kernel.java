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
 * <p>This class is the public face: boot, time, the processors and their event loops, deterministic-mode hooks and
 * close. The services themselves are its package-private collaborators, each called directly (no interface, no
 * per-call allocation): {@link SpinLocks} (IRQL and spin locks), {@link DpcQueues} (insert, remove, flush) and
 * {@link Dispatcher} (interrupt delivery, the per-processor dispatcher running ISRs and DPCs, posted device work).
 *
 * <p>In deterministic mode ({@link #boot(int, KernelViolationSink, DeterministicScheduler)}) each processor is a
 * {@link SimulatedEventLoop} of the scheduler instead, time is virtual, and the kernel's own waits (a contended spin
 * lock, a DPC flush) are scheduler waits; free-running, every such hook is one null check of {@link #det}.
 */
public final class Kernel implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Kernel.class);
    /** Windows' clock tick: 15.625 ms. */
    public static final long TICK_NANOS = 15_625_000L;

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
    private final Dispatcher dispatcher;
    private final SpinLocks spinLocks;
    private final DpcQueues dpcQueues;

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
        this.dispatcher = new Dispatcher(this, det, trace, c);
        this.spinLocks = new SpinLocks(this, det, trace, dispatcher);
        this.dpcQueues = new DpcQueues(this, processors, dispatcher);
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

    // ---- IRQL and spin locks (SpinLocks) -------------------------------------------------

    public int currentIrql() {
        return KThreadState.current().irql;
    }

    /** {@code KeRaiseIrql}: returns the old IRQL. */
    public int raiseIrql(int newIrql) {
        return spinLocks.raiseIrql(newIrql);
    }

    /** {@code KeLowerIrql}: delivers what became deliverable. */
    public void lowerIrql(int newIrql) {
        spinLocks.lowerIrql(KThreadState.current(), newIrql);
    }

    /** {@code KeAcquireSpinLock}: raises to the lock's level; returns the old IRQL. */
    public int acquire(KSpinLock lock) {
        return spinLocks.acquire(lock);
    }

    /** {@code KeReleaseSpinLock}: lowers to {@code oldIrql}, delivering what became deliverable. */
    public void release(KSpinLock lock, int oldIrql) {
        spinLocks.release(lock, oldIrql);
    }

    /**
     * Acquires several locks of the same rank as one (an interrupt lock that covers every MSI
     * message): order is checked against what the thread already holds, then they are taken
     * in array order.
     */
    public int acquireGroup(KSpinLock[] locks) {
        return spinLocks.acquireGroup(locks);
    }

    /** Releases a group taken with {@link #acquireGroup}, in reverse order. */
    public void releaseGroup(KSpinLock[] locks, int oldIrql) {
        spinLocks.releaseGroup(locks, oldIrql);
    }

    // ---- DPCs (DpcQueues) ---------------------------------------------------------------

    /**
     * {@code KeInsertQueueDpc}: false, and nothing done, when the DPC is already queued. The
     * target is the DPC's target processor, else the calling processor (processor 0 for a
     * thread that is not a processor).
     */
    public boolean insertQueueDpc(KDpc dpc, Object systemArgument1, Object systemArgument2) {
        return dpcQueues.insertQueueDpc(dpc, systemArgument1, systemArgument2);
    }

    /** {@code KeRemoveQueueDpc}: true if the DPC was queued and is now removed. */
    public boolean removeQueueDpc(KDpc dpc) {
        return dpcQueues.removeQueueDpc(dpc);
    }

    /**
     * {@code KeFlushQueuedDpcs}: returns once every DPC queued before the call has run, and every DPC running at the
     * call has returned; PASSIVE_LEVEL only (see {@link DpcQueues#flushQueuedDpcs}).
     */
    public void flushQueuedDpcs() {
        dpcQueues.flushQueuedDpcs();
    }

    /** Failures a sink let out of a DPC or ISR on a loop's own dispatch, where nobody waits: rethrown by close. */
    public List<Throwable> escapedFailures() {
        return List.copyOf(dispatcher.escaped);
    }

    // ---- posted device work and interrupts (Dispatcher) ---------------------------------

    /**
     * A device's work for a posted register write ({@code DeviceContext.post}): run at once, or, on a processor
     * holding a spin lock, once that processor releases its last lock (see {@link Dispatcher#postDeviceWork}).
     */
    public void postDeviceWork(Runnable work) {
        dispatcher.postDeviceWork(work);
    }

    /** A device signals an edge interrupt (an MSI-X message). */
    public void signal(KInterrupt ki) {
        dispatcher.signal(ki);
    }

    /** A device asserts a level-triggered line. */
    public void assertLine(KInterrupt ki) {
        dispatcher.assertLine(ki);
    }

    /** A device deasserts a level-triggered line. */
    public void deassertLine(KInterrupt ki) {
        dispatcher.deassertLine(ki);
    }

    /** Unmasks an interrupt, delivering it if it became pending while masked. */
    public void unmask(KInterrupt ki) {
        dispatcher.unmask(ki);
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
        Throwable first = dispatcher.escaped.poll();
        if (first != null) {
            for (Throwable more = dispatcher.escaped.poll(); more != null; more = dispatcher.escaped.poll()) {
                first.addSuppressed(more);
            }
            if (first instanceof Error e) {
                throw e;
            }
            throw (RuntimeException) first;
        }
    }
}
