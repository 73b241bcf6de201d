package io.vhba.emulator.storport;

import io.vhba.emulator.kernel.Irql;
import io.vhba.emulator.kernel.KInterrupt;
import io.vhba.emulator.kernel.KSpinLock;
import io.vhba.emulator.kernel.KThreadState;
import io.vhba.emulator.kernel.Kernel;
import io.vhba.emulator.platform.HostBuffer;
import io.vhba.emulator.platform.PciDevice;
import io.vhba.emulator.verifier.BugCheckException;
import io.vhba.emulator.verifier.VerifierPolicy;
import io.vhba.emulator.verifier.VerifierRule;
import io.vhba.miniport.HwInitializationData;
import io.vhba.miniport.HwStorPassiveInitializeRoutine;
import io.vhba.miniport.PortConfigurationInformation;
import io.vhba.miniport.ScsiAdapterControlType;
import io.vhba.miniport.SrbStatus;
import io.vhba.miniport.SynchronizationModel;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One adapter: a miniport's device extension bound to its hardware (or none, for a virtual
 * miniport), with the locks, interrupts, logical units and request path Storport keeps for it.
 *
 * <p>The request path: {@link #submit} admits an SRB to its LU queue; {@link #issue} calls
 * HwStorBuildIo with no lock, then HwStorStartIo under the lock of the synchronisation model,
 * at DISPATCH_LEVEL on the calling processor. Completion ({@code RequestComplete}) queues the
 * SRB to the engine's completion DPC, which returns it to its owner and starts what waits.
 */
public final class Adapter {
    private static final Logger LOG = LoggerFactory.getLogger(Adapter.class);
    /** How long SRB_STATUS_BUSY holds new starts when nothing else completes. */

    final StorportEngine engine;
    final Kernel kernel;
    private final String name;
    /**
     * "adapter routine" labels by routine, so the hot path ({@link #call} for every StartIo, ISR and DPC) does not
     * build a string per call; bounded, since a few callers label a routine with an index.
     */
    private final ConcurrentHashMap<String, String> routineLabels = new ConcurrentHashMap<>();
    final DriverRegistration registration;
    final Object deviceExtension;
    final PciDevice device;
    PortConfigurationInformation config;

    volatile AdapterState state = AdapterState.STARTING;
    /** Why the adapter failed (a bug check summary, a start watchdog, a failed start), or null. */
    volatile String failureReason;
    volatile InitPhase phase = InitPhase.NONE;
    volatile Thread phaseThread;
    volatile HwStorPassiveInitializeRoutine<?> passiveInitRoutine;

    final KSpinLock startIoLock;
    /** {@link #startIoLock} as the group {@code acquireGroup} takes, built once rather than per request. */
    private final KSpinLock[] startIoLockAlone;
    KSpinLock interruptLock;
    KSpinLock[] msiLocks = new KSpinLock[0];
    KInterrupt[] interrupts = new KInterrupt[0];
    /** Register windows this adapter mapped with GetDeviceBase: {va, length} pairs. */
    final List<long[]> mappedWindows = new CopyOnWriteArrayList<>();
    volatile HostBuffer uncachedExtension;
    int srbExtensionSizeAtUncached = -1;

    private final ConcurrentHashMap<Long, PortLogicalUnit> units = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<EngineSrb> srbPool = new ConcurrentLinkedQueue<>();
    private volatile SrbExtensionSlab srbSlab;
    private final List<DpcBinding> dpcs = new CopyOnWriteArrayList<>();
    final AdapterCounters counters = new AdapterCounters();
    /** SRB status counts and the LUs' device latency (pre-resolved: the completion path does no lookup). */
    final StorportMetrics.AdapterMeters meters;
    private final MiniportTimer timer = new MiniportTimer(this);
    /** StorPortPause/Busy, LinkDown, ResetDetected. */
    final AdapterHolds holds = new AdapterHolds(this);
    /** StorPortInitializeTimer/RequestTimer/FreeTimer. */
    final TimerObjects timerObjects = new TimerObjects(this);
    /** StorPortInitializeWorker/QueueWorkItem/FreeWorker. */
    final WorkItems workItems = new WorkItems(this);
    /** StorPortAllocatePool/FreePool. */
    final PoolAllocations pool = new PoolAllocations(this);
    /** What the miniport reported through notifications that have no other visible effect. */
    final PortEventLog eventLog = new PortEventLog(this::eventLogEntryDropped);
    /** HwStorFindAdapter's BusInformation: for a virtual miniport, the {@link io.vhba.hw.ScsiBus} of its units. */
    volatile Object busInformation;
    /** A bus reset holds every queue while it runs. */
    volatile boolean resetHold;
    /** HwStorAdapterControl: the supported control types, ScsiStopAdapter, ScsiRestartAdapter. */
    final AdapterControl control = new AdapterControl(this);
    final RecoveryCounters recovery = new RecoveryCounters();
    final RequestTimeouts timeouts = new RequestTimeouts(this);
    final ResetEscalation escalation = new ResetEscalation(this);
    /** StorPortInitializePerfOpts: DPC redirection, concurrent channels, message ranges. */
    final PerfOptimizations perfOpts = new PerfOptimizations(this);

    Adapter(StorportEngine engine, String name, DriverRegistration registration, Object deviceExtension,
            PciDevice device) {
        this.engine = engine;
        this.kernel = engine.kernel();
        this.name = name;
        this.registration = registration;
        this.deviceExtension = deviceExtension;
        this.device = device;
        this.meters = engine.metrics().adapter(name);
        this.startIoLock = new KSpinLock(name + " StartIoLock", Irql.DISPATCH_LEVEL, KSpinLock.RANK_START_IO);
        this.startIoLockAlone = new KSpinLock[] {startIoLock};
        this.interruptLock = new KSpinLock(name + " InterruptLock", Irql.DIRQL_MIN + 2, KSpinLock.RANK_INTERRUPT);
    }

    public String name() {
        return name;
    }

    public AdapterState state() {
        return state;
    }

    /** Why the adapter is {@link AdapterState#FAILED}: the bug check summary or the start failure; null otherwise. */
    public String failureReason() {
        return failureReason;
    }

    public PciDevice device() {
        return device;
    }

    @SuppressWarnings("unchecked")
    <E> HwInitializationData<E> data() {
        return (HwInitializationData<E>) registration.data();
    }

    public AdapterCounters counters() {
        return counters;
    }

    /** The MaximumTransferLength FindAdapter set. */
    public long maximumTransferLength() {
        return config == null ? 0 : config.getMaximumTransferLength() & 0xFFFF_FFFFL;
    }

    public List<KInterrupt> interrupts() {
        return List.of(interrupts);
    }

    // ---- logical units ------------------------------------------------------------------

    static long key(int pathId, int targetId, int lun) {
        return ((long) pathId << 40) | ((long) targetId << 32) | (lun & 0xFFFFFFFFL);
    }

    /** The LU at an address, creating the port's record (and the miniport's LU extension) on first use. */
    PortLogicalUnit unitFor(int pathId, int targetId, int lun) {
        return units.computeIfAbsent(key(pathId, targetId, lun), k -> {
            Object ext = data().specificLuExtension() == null ? null : data().specificLuExtension().get();
            int depth = Math.min(PortLogicalUnit.DEFAULT_QUEUE_DEPTH,
                    config == null ? PortLogicalUnit.DEFAULT_QUEUE_DEPTH : config.getInitialLunQueueDepth());
            return new PortLogicalUnit(this, pathId, targetId, lun, ext, depth);
        });
    }

    /** The LU at an address if the bus scan found it, else null. */
    public PortLogicalUnit logicalUnit(int pathId, int targetId, int lun) {
        PortLogicalUnit u = units.get(key(pathId, targetId, lun));
        return u != null && u.inquirySeen() ? u : null;
    }

    /**
     * A rescan did not find {@code u} again: the port forgets it. Requests still queued for it fail with
     * SRB_STATUS_NO_DEVICE; the ones the miniport holds complete as usual.
     */
    void unitRemoved(PortLogicalUnit u) {
        if (units.remove(key(u.pathId(), u.targetId(), u.lun()), u)) {
            LOG.info("{}: {} is gone", name, u);
            for (EngineSrb s : u.drainPending()) {
                failImmediately(s, SrbStatus.NO_DEVICE);
            }
        }
    }

    /** Every LU the bus scan found. */
    public List<PortLogicalUnit> logicalUnits() {
        List<PortLogicalUnit> l = new ArrayList<>();
        for (PortLogicalUnit u : units.values()) {
            if (u.inquirySeen()) {
                l.add(u);
            }
        }
        l.sort((a, b) -> Long.compare(key(a.pathId(), a.targetId(), a.lun()), key(b.pathId(), b.targetId(), b.lun())));
        return l;
    }

    Collection<PortLogicalUnit> allUnits() {
        return units.values();
    }

    // ---- SRB pool -----------------------------------------------------------------------

    /** An SRB from the pool (or a new one); prepare it, then {@link #submit} it. */
    public EngineSrb allocateSrb() {
        EngineSrb s = srbPool.poll();
        if (s != null) {
            return s;
        }
        int extSize = config == null ? data().srbExtensionSize() : config.getSrbExtensionSize();
        SrbExtensionSlab slab = srbSlab;
        if (slab == null) {
            synchronized (this) {
                if (srbSlab == null) {
                    srbSlab = new SrbExtensionSlab(engine.hostMemory(), EngineSrb.extensionAllocationSize(extSize));
                }
                slab = srbSlab;
            }
        }
        return new EngineSrb(this, slab.take(), extSize);
    }

    void recycle(EngineSrb srb) {
        srbPool.offer(srb);
    }

    // ---- the request path ---------------------------------------------------------------

    /**
     * Starts {@code srb} or queues it behind its LU's waiting requests. Must run on a processor
     * thread (the one whose event loop received the command).
     */
    public void submit(EngineSrb srb) {
        srb.startNanos = kernel.nanoTime(); // the kernel's clock: virtual in deterministic mode
        if (state != AdapterState.RUNNING && state != AdapterState.STARTING) {
            failImmediately(srb, SrbStatus.NO_HBA);
            return;
        }
        counters.submitted.increment();
        io.vhba.emulator.trace.Tracer t = kernel.trace();
        if (t != null) {
            long carried = t.carriedFlow();
            srb.traceId = carried != 0 ? carried : t.newFlow();
            t.async('b', queueTrack(srb.lu), srb.traceId);
        }
        boolean start = srb.lu.admitOrQueue(srb, canStart());
        if (t != null) {
            traceQueue(t, srb.lu);
        }
        if (start) {
            issue(srb);
        }
    }

    /** The timeline's name of a LU's queue. */
    private String queueTrack(PortLogicalUnit lu) {
        String n = lu.traceName;
        if (n == null) {
            n = name + " LUN " + lu.address();
            lu.traceName = n;
        }
        return n;
    }

    /** The LU queue's counter: requests waiting in the port's queue, and requests the miniport holds. */
    private void traceQueue(io.vhba.emulator.trace.Tracer t, PortLogicalUnit lu) {
        t.counter(queueTrack(lu) + " queue", "pending", Integer.toString(lu.pendingCount()), "active",
                Integer.toString(lu.outstanding()));
    }

    private boolean canStart() {
        return (state == AdapterState.RUNNING || state == AdapterState.STARTING) && !holds.blocks() && !resetHold;
    }

    /** BuildIo (no lock), then StartIo under the synchronisation model's lock, at DISPATCH_LEVEL. */
    void issue(EngineSrb srb) {
        int old = kernel.raiseIrql(Math.max(Irql.DISPATCH_LEVEL, kernel.currentIrql()));
        try {
            var p = kernel.currentProcessor();
            srb.issuedOnProcessor = p == null ? 0 : p.number();
            if (!srb.bypass && injected(srb)) {
                return;
            }
            HwInitializationData<Object> d = data();
            if (d.hwBuildIo() != null) {
                boolean proceed = call("HwStorBuildIo", () -> d.hwBuildIo().buildIo(deviceExtension, srb));
                if (srb.state == SrbState.COMPLETED || srb.state == SrbState.FREE) {
                    if (proceed) {
                        portFinding("HwStorBuildIo", VerifierRule.BUILDIO_RETURN_VALUE, System.identityHashCode(srb), 1,
                                "HwStorBuildIo completed the SRB but returned true");
                    }
                    return;
                }
                if (!proceed) {
                    portFinding("HwStorBuildIo", VerifierRule.BUILDIO_RETURN_VALUE, System.identityHashCode(srb), 0,
                            "HwStorBuildIo returned false without completing the SRB");
                    return;
                }
            }
            KSpinLock[] locks = startIoLocks();
            int o2 = locks == null ? -1 : kernel.acquireGroup(locks);
            boolean accepted;
            try {
                counters.startIo.increment();
                srb.startIoEntered = true;
                accepted = call("HwStorStartIo", () -> {
                    io.vhba.emulator.trace.Tracer t = kernel.trace();
                    if (t != null && srb.traceId != 0) {
                        t.flow('t', srb.traceId); // inside the StartIo slice
                    }
                    return d.hwStartIo().startIo(deviceExtension, srb);
                });
            } finally {
                if (locks != null) {
                    kernel.releaseGroup(locks, o2);
                }
            }
            if (!accepted && srb.state == SrbState.MINIPORT && state == AdapterState.RUNNING) {
                // Storport treats a refused request as busy and retries it later.
                srb.srbStatus = SrbStatus.BUSY.code();
                completeFromMiniport(srb);
            }
        } finally {
            kernel.lowerIrql(old);
        }
    }

    /** The model HwStorStartIo runs under: the port configuration's, or concurrent channels once StorPortInitializePerfOpts set them. */
    SynchronizationModel startIoModel() {
        return perfOpts.concurrentChannels() ? SynchronizationModel.CONCURRENT_CHANNELS : config.getSynchronizationMode();
    }

    /**
     * The locks HwStorStartIo runs under: the StartIo lock (full duplex), the interrupt lock (half duplex), or
     * with concurrent channels nothing but the port's channel lock when processors share a channel.
     */
    private KSpinLock[] startIoLocks() {
        if (perfOpts.concurrentChannels()) {
            return perfOpts.channelLock();
        }
        return config.getSynchronizationMode() == SynchronizationModel.HALF_DUPLEX ? interruptLocks() : startIoLockAlone;
    }

    /** Lets the engine's {@link StartIoInterceptor} answer for the miniport; true if it did. */
    private boolean injected(EngineSrb srb) {
        StartIoInterceptor.InjectedCompletion c = engine.startIoInterceptor().beforeStartIo(srb);
        if (c == null) {
            return false;
        }
        recovery.injectedCompletions.increment();
        srb.srbStatus = c.srbStatus().code();
        srb.scsiStatus = c.scsiStatus() & 0xFF;
        if (c.srbStatus() != SrbStatus.SUCCESS && c.srbStatus() != SrbStatus.DATA_OVERRUN && c.srbStatus() != SrbStatus.BUSY) {
            srb.dataTransferLength = 0; // nothing moved; a BUSY request is reissued whole
        }
        completeFromMiniport(srb);
        return true;
    }

    /** The locks "the interrupt lock" means: the one adapter lock, or every MSI message lock. */
    KSpinLock[] interruptLocks() {
        if (msiLocks.length > 0) {
            return msiLocks;
        }
        KSpinLock[] g = interruptLockGroup;
        if (g == null || g[0] != interruptLock) {
            g = new KSpinLock[] {interruptLock};
            interruptLockGroup = g;
        }
        return g;
    }

    /** MSI message {@code m}'s lock as a one-element group (for the lock rules), without an allocation per call. */
    KSpinLock[] msiLockGroup(int m) {
        KSpinLock[][] groups = msiLockGroups;
        KSpinLock[] locks = msiLocks;
        if (groups.length != locks.length || (groups.length > 0 && groups[0][0] != locks[0])) {
            groups = new KSpinLock[locks.length][];
            for (int i = 0; i < locks.length; i++) {
                groups[i] = new KSpinLock[] {locks[i]};
            }
            msiLockGroups = groups;
        }
        return groups[m];
    }

    private volatile KSpinLock[][] msiLockGroups = new KSpinLock[0][];

    /** {@link #interruptLock} as a one-element group, made again if the lock is replaced. */
    private volatile KSpinLock[] interruptLockGroup;

    /** {@code StorPortNotification(RequestComplete)}: validated, then handed to the completion DPC. */
    void completeFromMiniport(EngineSrb srb) {
        if (state == AdapterState.FAILED) {
            return; // the port already returned everything it held
        }
        if (srb.state != SrbState.MINIPORT) {
            verifyFailed(srb.state == SrbState.COMPLETED ? VerifierRule.DOUBLE_COMPLETION : VerifierRule.SRB_USED_AFTER_COMPLETION,
                    System.identityHashCode(deviceExtension), System.identityHashCode(srb),
                    "RequestComplete for " + srb + " which the miniport does not own");
            return;
        }
        if ((srb.srbStatus & 0x3F) == SrbStatus.PENDING.code()) {
            verifyFailed(VerifierRule.INVALID_SRB_STATUS, System.identityHashCode(srb), System.identityHashCode(deviceExtension),
                    "RequestComplete with SRB_STATUS_PENDING for " + srb);
            return;
        }
        if ((srb.srbStatus & SrbStatus.QUEUE_FROZEN) != 0) {
            verifyFailed(VerifierRule.QUEUE_FROZEN_BY_MINIPORT, System.identityHashCode(srb), 0,
                    "the miniport set SRB_STATUS_QUEUE_FROZEN on " + srb);
            srb.srbStatus &= ~SrbStatus.QUEUE_FROZEN;
        }
        srb.state = SrbState.COMPLETED;
        counters.completed.increment();
        engine.completions().enqueue(srb);
    }

    /** Runs in the completion DPC (DISPATCH_LEVEL, no miniport lock held). */
    void processCompletion(EngineSrb srb) {
        if (srb.state != SrbState.COMPLETED) {
            return; // the adapter failed and returned it already
        }
        PortLogicalUnit lu = srb.lu;
        if (srb.bypass) {
            deliver(srb);
            return;
        }
        lu.deactivate(srb);
        io.vhba.emulator.trace.Tracer t = kernel.trace();
        if (t != null && srb.traceId != 0) {
            t.flow('t', srb.traceId); // inside the completion DPC's slice
            t.async('e', queueTrack(lu), srb.traceId);
            traceQueue(t, lu);
        }
        if (srb.timedOut) {
            escalation.victimReturned(srb);
        }
        if ((srb.srbStatus & 0x3F) == SrbStatus.BUSY.code() && state == AdapterState.RUNNING) {
            counters.busy.increment();
            meters.status(srb.srbStatus);
            srb.resetForReissue();
            lu.requeueFirst(srb);
            holds.busyStatus();
            return;
        }
        lu.holds.onCompletion();
        holds.onCompletion();
        holds.afterCompletion();
        deliver(srb);
        pump(lu);
    }

    private void deliver(EngineSrb srb) {
        counters.returned.increment();
        meters.returned(srb);
        try {
            srb.completion.srbCompleted(srb);
        } catch (RuntimeException e) {
            LOG.error("{}: completion handler for {} failed", name, srb, e);
        }
    }

    // ---- task management ----------------------------------------------------------------

    /** ABORT TASK as the port does it; see {@link PortTaskManagement#abort}. Must run on a processor thread. */
    public void abort(EngineSrb victim, Runnable done) {
        PortTaskManagement.abort(this, victim, done);
    }

    /** LOGICAL UNIT RESET as the port does it; see {@link PortTaskManagement#resetLogicalUnit}. */
    public void resetLogicalUnit(PortLogicalUnit lu, Runnable done) {
        PortTaskManagement.resetLogicalUnit(this, lu, done);
    }

    void issueBypass(EngineSrb srb) {
        srb.bypass = true;
        srb.state = SrbState.MINIPORT;
        srb.startNanos = kernel.nanoTime();
        issue(srb);
    }

    /** Starts what may start on {@code lu}. */
    void pump(PortLogicalUnit lu) {
        EngineSrb next;
        while ((next = lu.nextToStart(canStart())) != null) {
            issue(next);
        }
    }

    /** Starts what may start on every LU, at DISPATCH_LEVEL on a processor (hopping to CPU 0 from other threads). */
    void pumpAllUnits() {
        onProcessor(() -> {
            for (PortLogicalUnit u : units.values()) {
                pump(u);
            }
        });
    }

    /** Starts what may start on {@code lu}, as {@link #pumpAllUnits}. */
    void pumpUnit(PortLogicalUnit lu) {
        onProcessor(() -> pump(lu));
    }

    private void onProcessor(Runnable r) {
        if (kernel.currentProcessor() == null) {
            kernel.execute(kernel.processor(0), () -> onProcessor(r));
            return;
        }
        int old = kernel.raiseIrql(Math.max(Irql.DISPATCH_LEVEL, kernel.currentIrql()));
        try {
            r.run();
        } finally {
            kernel.lowerIrql(old);
        }
    }

    /** Returns a request the port completed itself (status already set) to its owner. */
    void completeByPort(EngineSrb srb) {
        srb.state = SrbState.FREE;
        deliver(srb);
    }

    void failImmediately(EngineSrb srb, SrbStatus status) {
        srb.portComplete(status);
        srb.state = SrbState.FREE;
        deliver(srb);
    }

    // ---- calling the miniport -----------------------------------------------------------

    /** The label the verifier shows for {@code routine} of this adapter: "name routine". */
    String routineLabel(String routine) {
        String label = routineLabels.get(routine);
        if (label == null) {
            label = name + " " + routine;
            if (routineLabels.size() < 256) {
                routineLabels.putIfAbsent(routine, label);
            }
        }
        return label;
    }

    /**
     * Calls a miniport routine with the port context set for the verifier. A bug check or an
     * exception thrown by the routine stops the adapter (and, with the THROW policy, is
     * rethrown to the caller); the routine then counts as having returned false.
     */
    boolean call(String routine, BooleanSupplier body) {
        KThreadState st = KThreadState.current();
        Object prevCtx = st.enterPortContext(this);
        String label = routineLabel(routine);
        String prevRoutine = st.enterRoutine(label);
        io.vhba.emulator.trace.Tracer t = kernel.trace();
        long begin = t == null ? 0 : t.now();
        try {
            return body.getAsBoolean();
        } catch (BugCheckException e) {
            onBugCheck(e);
            return false;
        } catch (OutOfMemoryError e) {
            // The JVM ran short, not the driver: no bug check. The routine counts as having returned false (a refused
            // StartIo is retried as BUSY), and the adapter keeps serving.
            counters.outOfMemory.increment();
            LOG.warn("{}: the JVM ran out of memory during {} ({}); not reported as a driver fault, the request is retried",
                    name, routine, e.getMessage());
            return false;
        } catch (RuntimeException | Error e) {
            io.vhba.emulator.kernel.sched.SchedulerTermination.rethrowIf(e);
            try {
                engine.verifier().report(VerifierRule.MINIPORT_EXCEPTION, name, 0, 0, 0, routine + " threw " + e);
            } catch (BugCheckException b) {
                LOG.error("{}: {} threw", name, routine, e);
                onBugCheck(b);
            }
            return false;
        } finally {
            if (t != null) {
                t.complete(label, "miniport", begin);
            }
            st.exitRoutine(prevRoutine);
            st.exitPortContext(prevCtx);
        }
    }

    /** Reports a rule broken by this adapter's miniport; unwinds (throws) unless the policy is LOG_ONLY. */
    void verifyFailed(VerifierRule rule, long p2, long p3, String detail) {
        engine.verifier().report(rule, name, p2, p3, 0, detail);
    }

    /**
     * A finding the port makes itself, outside any miniport routine (on a routine's return
     * value): the adapter stops exactly as if the routine had bug-checked.
     */
    void portFinding(String routine, VerifierRule rule, long p2, long p3, String detail) {
        KThreadState st = KThreadState.current();
        String prev = st.enterRoutine(name + " " + routine);
        try {
            verifyFailed(rule, p2, p3, detail);
        } catch (BugCheckException e) {
            onBugCheck(e);
        } finally {
            st.exitRoutine(prev);
        }
    }

    private void onBugCheck(BugCheckException e) {
        if (engine.verifier().policy() != VerifierPolicy.LOG_ONLY) {
            fail("bug check: " + e.bugCheck().summary());
        }
        if (engine.verifier().policy() == VerifierPolicy.THROW) {
            throw e;
        }
    }

    /** Stops the adapter after a bug check or a failed start; see {@link AdapterShutdown#fail}. */
    void fail(String reason) {
        AdapterShutdown.fail(this, reason);
    }

    MiniportTimer timer() {
        return timer;
    }

    /** Stops the adapter as PnP stop/remove does; see {@link AdapterShutdown#stop}. */
    public void stop() {
        AdapterShutdown.stop(this);
    }

    /** ScsiStopAdapter then ScsiRestartAdapter with the queues held; see {@link AdapterControl#restart}. */
    public boolean restart() {
        return control.restart();
    }

    /**
     * A restart while I/O runs: new requests wait, those the miniport holds get {@code drainMillis} to finish, then
     * ScsiStopAdapter and ScsiRestartAdapter; see {@link AdapterControl#restartDrained}. Not on a processor thread.
     */
    public RestartOutcome restartDrained(long drainMillis) throws InterruptedException {
        return control.restartDrained(TimeUnit.MILLISECONDS.toNanos(drainMillis));
    }

    /** The HwStorAdapterControl types the miniport reported after FindAdapter. */
    public java.util.Set<ScsiAdapterControlType> supportedControlTypes() {
        return control.supported();
    }

    /** Interrupts delivered to this adapter's ISRs, all messages. */
    public long interruptsDelivered() {
        long n = 0;
        for (KInterrupt k : interrupts) {
            n += k.deliveredCount();
        }
        return n;
    }

    /** Adapter-wide notification and queue-management history, for tests and diagnostics. */
    private void eventLogEntryDropped() {
        PortMetrics.eventLogDropped(engine, this);
    }

    public PortEventLog eventLog() {
        return eventLog;
    }

    // ---- link, bus and recovery (STORPORT.md, "Link", "Timeouts and resets") -------------

    /** As the miniport's LinkDown notification: queues pause, request timeouts stand still. */
    public void linkDown() {
        PortEvents.linkDown(this);
    }

    /** As the miniport's LinkUp notification: queues resume. */
    public void linkUp() {
        PortEvents.linkUp(this);
    }

    public boolean isLinkDown() {
        return holds.isHeld(AdapterHolds.Reason.LINK_DOWN);
    }

    /**
     * As the miniport's BusChangeDetected: rescans (a unit no longer reported is forgotten, a new one appears),
     * then raises REPORTED LUNS DATA HAS CHANGED. The future completes when that is done.
     */
    public java.util.concurrent.CompletableFuture<Void> busChangeDetected() {
        return PortEvents.busChangeDetected(this);
    }

    /** A port-initiated bus reset (HwStorResetBus with the queues paused), as at the end of a timeout escalation. */
    public void resetBus(String reason) {
        escalation.requestBusReset(reason);
    }

    public RecoveryCounters recovery() {
        return recovery;
    }

    // ---- DPC registry -------------------------------------------------------------------

    void register(DpcBinding b) {
        dpcs.add(b);
    }

    public int dpcCount() {
        return dpcs.size();
    }

    boolean inPhase(InitPhase p) {
        return phase == p && phaseThread == Thread.currentThread();
    }

    @Override
    public String toString() {
        return name;
    }
}
