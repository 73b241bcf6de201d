package io.vhba.emulator.storport;

import io.vhba.emulator.kernel.Irql;
import io.vhba.emulator.kernel.KInterrupt;
import io.vhba.emulator.kernel.KSpinLock;
import io.vhba.emulator.kernel.Kernel;
import io.vhba.emulator.platform.HostBuffer;
import io.vhba.emulator.platform.PciDevice;
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
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One adapter: a miniport's device extension bound to its hardware (or none, for a virtual
 * miniport), with the locks, interrupts, logical units and request path Storport keeps for it.
 *
 * <p>The request path ({@link RequestPath}): {@link #submit} admits an SRB to its LU queue; {@link #issue} calls
 * HwStorBuildIo with no lock, then HwStorStartIo under the lock of the synchronisation model,
 * at DISPATCH_LEVEL on the calling processor. Completion ({@code RequestComplete}) queues the
 * SRB to the engine's completion DPC, which returns it to its owner and starts what waits.
 * Miniport routines are called through {@link MiniportCalls}, the verifier's boundary.
 */
public final class Adapter {
    private static final Logger LOG = LoggerFactory.getLogger(Adapter.class);

    final StorportEngine engine;
    final Kernel kernel;
    private final String name;
    /**
     * "adapter routine" labels by routine, so the hot path ({@link #call} for every StartIo, ISR and DPC) does not
     * build a string per call; bounded, since a few callers label a routine with an index.
     */
    final ConcurrentHashMap<String, String> routineLabels = new ConcurrentHashMap<>();
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
    final KSpinLock[] startIoLockAlone;
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

    // ---- lock groups --------------------------------------------------------------------

    /** The model HwStorStartIo runs under: the port configuration's, or concurrent channels once StorPortInitializePerfOpts set them. */
    SynchronizationModel startIoModel() {
        return perfOpts.concurrentChannels() ? SynchronizationModel.CONCURRENT_CHANNELS : config.getSynchronizationMode();
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

    // ---- the request path (RequestPath) ----------------------------------------------------

    /**
     * Starts {@code srb} or queues it behind its LU's waiting requests. Must run on a processor
     * thread (the one whose event loop received the command).
     */
    public void submit(EngineSrb srb) {
        RequestPath.submit(this, srb);
    }

    /** BuildIo (no lock), then StartIo under the synchronisation model's lock, at DISPATCH_LEVEL. */
    void issue(EngineSrb srb) {
        RequestPath.issue(this, srb);
    }

    /** {@code StorPortNotification(RequestComplete)}: validated, then handed to the completion DPC. */
    void completeFromMiniport(EngineSrb srb) {
        RequestPath.completeFromMiniport(this, srb);
    }

    /** Runs in the completion DPC (DISPATCH_LEVEL, no miniport lock held). */
    void processCompletion(EngineSrb srb) {
        RequestPath.processCompletion(this, srb);
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
        RequestPath.issueBypass(this, srb);
    }

    /** Starts what may start on {@code lu}. */
    void pump(PortLogicalUnit lu) {
        RequestPath.pump(this, lu);
    }

    /** Starts what may start on every LU, at DISPATCH_LEVEL on a processor (hopping to CPU 0 from other threads). */
    void pumpAllUnits() {
        RequestPath.pumpAllUnits(this);
    }

    /** Starts what may start on {@code lu}, as {@link #pumpAllUnits}. */
    void pumpUnit(PortLogicalUnit lu) {
        RequestPath.pumpUnit(this, lu);
    }

    /** Returns a request the port completed itself (status already set) to its owner. */
    void completeByPort(EngineSrb srb) {
        RequestPath.completeByPort(this, srb);
    }

    void failImmediately(EngineSrb srb, SrbStatus status) {
        RequestPath.failImmediately(this, srb, status);
    }

    // ---- calling the miniport (MiniportCalls) --------------------------------------------

    /** The label the verifier shows for {@code routine} of this adapter: "name routine". */
    String routineLabel(String routine) {
        return MiniportCalls.routineLabel(this, routine);
    }

    /**
     * Calls a miniport routine with the port context set for the verifier. A bug check or an
     * exception thrown by the routine stops the adapter (and, with the THROW policy, is
     * rethrown to the caller); the routine then counts as having returned false.
     */
    boolean call(String routine, BooleanSupplier body) {
        return MiniportCalls.call(this, routine, body);
    }

    /** Reports a rule broken by this adapter's miniport; unwinds (throws) unless the policy is LOG_ONLY. */
    void verifyFailed(VerifierRule rule, long p2, long p3, String detail) {
        MiniportCalls.verifyFailed(this, rule, p2, p3, detail);
    }

    /**
     * A finding the port makes itself, outside any miniport routine (on a routine's return
     * value): the adapter stops exactly as if the routine had bug-checked.
     */
    void portFinding(String routine, VerifierRule rule, long p2, long p3, String detail) {
        MiniportCalls.portFinding(this, routine, rule, p2, p3, detail);
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
