package io.vhba.emulator.runtime;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vhba.emulator.config.LunConfig;
import io.vhba.emulator.config.VhbaConfig;
import io.vhba.emulator.fault.FaultInjector;
import io.vhba.emulator.iscsi.IscsiServer;
import io.vhba.emulator.iscsi.session.IoStatistics;
import io.vhba.emulator.iscsi.session.LoginsInProgress;
import io.vhba.emulator.iscsi.session.SessionRegistry;
import io.vhba.emulator.kernel.Kernel;
import io.vhba.emulator.limits.LimitEvents;
import io.vhba.emulator.management.ManagementServer;
import io.vhba.emulator.platform.HostMemory;
import io.vhba.emulator.platform.PciDevice;
import io.vhba.emulator.runtime.Reconfiguration.Reason;
import io.vhba.emulator.scsi.core.ScsiTarget;
import io.vhba.emulator.scsi.core.ScsiTargetCore;
import io.vhba.emulator.scsi.core.TargetLun;
import io.vhba.emulator.scsi.core.access.AccessControlList;
import io.vhba.emulator.storport.Adapter;
import io.vhba.emulator.storport.AdapterCounters;
import io.vhba.emulator.storport.RestartOutcome;
import io.vhba.emulator.storport.StorportEngine;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running emulator. {@link #start} boots the simulated processors, loads the miniport, plugs
 * one controller per target with that target's disks attached, starts the adapters in Storport's
 * order, maps the LUNs the bus scan found, opens the iSCSI portals and, when configured, the
 * management API. While it runs, LUNs can be added, removed and resized and adapters restarted;
 * those changes are serialised by one lock and every wait in them is bounded.
 *
 * <p>This class holds the running parts and the public API; the work is done by package-private collaborators:
 * {@link Assembly} boots the parts, {@link Reconfigurations} changes them at run time, {@link DeterministicRun}
 * builds replays and explorations and writes the run's summary and timeline.
 */
public final class Vhba implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Vhba.class);

    final VhbaConfig config;
    /** Every layer records here; {@link #scrape()} renders it for Prometheus. */
    final PrometheusMeterRegistry meters = newRegistry();
    RuntimeMetrics runtimeMetrics;
    Kernel kernel;
    HostMemory memory;
    StorportEngine engine;
    final List<PciDevice> devices = new ArrayList<>();
    final List<TargetRuntime> deployed = new ArrayList<>();
    IscsiServer server;
    SessionRegistry sessions;
    volatile ScsiTargetCore core;
    final FaultInjector faults = new FaultInjector(meters);
    /** Every limit an initiator reached, counted (vhba.limits.reached) and logged at a bounded rate. */
    final LimitEvents limitEvents = new LimitEvents();
    LoginsInProgress logins;
    /** The built-in drivers and the external ones of {@code config.drivers()}, in their own class loaders. */
    Drivers drivers;
    final Operations operations = new Operations();
    /** Serialises LUN changes, resizes and restarts: each reads and changes the LUN map of a target. */
    final ChangeLock changes = new ChangeLock(operations);
    LunHotPlug hotPlug;
    ManagementServer management;
    /** Deterministic mode, or null when free-running. */
    final Simulation sim;
    /** Each LUN's medium, for a deterministic run's checksums and --dump-lun. */
    final LunMedia media = new LunMedia();
    volatile boolean booted;

    private Vhba(VhbaConfig config, Simulation sim) {
        this.config = config;
        this.sim = sim;
    }

    /**
     * Starts everything {@code config} describes; on failure nothing is left running. With
     * {@link VhbaConfig#deterministic()} the run is scheduled by one seeded scheduler over virtual time and can be
     * recorded (docs/architecture.md, "Deterministic mode").
     */
    public static Vhba start(VhbaConfig config) {
        config.validate();
        return boot(config, config.deterministic() == null ? null : Simulation.live(config));
    }

    /**
     * Rebuilds the target a {@code .vhbarec} recorded, with no network, and replays its inputs at their steps. Call
     * {@link #awaitEnd()} for the run's summary (at the recorded END), then {@link #close()}.
     */
    public static Vhba replay(Path record) {
        return replay(record, null);
    }

    /** As {@link #replay(Path)}, writing the timeline {@code trace} describes (null: none). */
    public static Vhba replay(Path record, io.vhba.emulator.config.TraceConfig trace) {
        return DeterministicRun.replay(record, trace);
    }

    /**
     * A closed deterministic run for schedule exploration: no network; {@code onBoot} runs on the booting thread,
     * inside the simulation, once the target is up, and starts the initiator there ({@link SimulatedNetwork}). The run
     * halts past {@code maxSteps} steps or {@code maxVirtualNanos} of virtual time.
     */
    public static Vhba explore(VhbaConfig config, long pctSteps, long maxSteps, long maxVirtualNanos,
                               java.util.function.BiConsumer<Vhba, SimulatedNetwork> onBoot) {
        return DeterministicRun.explore(config, pctSteps, maxSteps, maxVirtualNanos, onBoot);
    }

    static Vhba boot(VhbaConfig config, Simulation sim) {
        Vhba v = new Vhba(config, sim);
        try {
            Assembly.boot(v);
            return v;
        } catch (RuntimeException e) {
            v.close();
            throw e;
        }
    }

    private static PrometheusMeterRegistry newRegistry() {
        PrometheusMeterRegistry r = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        RuntimeMetrics.configure(r);
        return r;
    }

    /**
     * Deterministic mode: ends the run on the calling thread and returns its summary (steps, virtual time, SRBs, bug
     * checks, each LUN's medium CRC32C): at this call in a live run (recorded as its END), at the recorded END in a
     * replay. Null if the run halted (see {@link #halt()}). Free-running: an error.
     */
    public io.vhba.emulator.record.RunSummary awaitEnd() {
        if (sim == null) {
            throw new IllegalStateException("awaitEnd() is for deterministic runs");
        }
        return sim.end();
    }

    /** A replay: the summary its record's END holds, to compare with {@link #awaitEnd()}'s. Else null. */
    public io.vhba.emulator.record.RunSummary recordedSummary() {
        return sim == null ? null : sim.recordedSummary();
    }

    /** Why a deterministic run stopped early (a hang, a stall, a divergence), or null. */
    public io.vhba.emulator.kernel.sched.Halt halt() {
        return sim == null ? null : sim.halt();
    }

    /** The run's summary now, taken by the thread that holds the baton at the end. */
    io.vhba.emulator.record.RunSummary summarize(long steps, long virtualNanos) {
        return DeterministicRun.summarize(this, steps, virtualNanos);
    }

    /** Writes the timeline, if one was asked for. */
    void writeTrace() {
        DeterministicRun.writeTrace(this);
    }

    Simulation simulation() {
        return sim;
    }

    /**
     * Writes a LUN's whole medium to {@code file}: {@code lun} is a LUN number of the first target, or "IQN/LUN". For
     * comparing what runs leave on a disk (in a deterministic run, call it after {@link #awaitEnd()}).
     */
    public void writeMedium(String lun, Path file) {
        media.write(lun, deployed.get(0).iqn(), file);
    }

    TargetRuntime runtimeOf(ScsiTarget t) {
        for (TargetRuntime rt : deployed) {
            if (rt.target == t) {
                return rt;
            }
        }
        throw new IllegalStateException("no runtime for " + t.name());
    }

    TargetRuntime runtime(String iqn) {
        for (TargetRuntime rt : deployed) {
            if (rt.iqn().equals(iqn)) {
                return rt;
            }
        }
        throw new Reconfiguration(Reason.NOT_FOUND, "no target " + iqn);
    }

    /**
     * Changes the capacity of a LUN while it serves (SBC-4 4.6): the disk is resized first, then every I_T nexus of
     * the LUN gets the unit attention CAPACITY DATA HAS CHANGED (2Ah/09h), so an initiator that hears of it and
     * reads the capacity again finds the new one. Blocks past a smaller end are gone; added blocks read zeros. The
     * configuration is not rewritten: the next start has the configured size again (a file keeps its new length).
     *
     * @param newCapacityBytes a positive multiple of the LUN's logical block length
     * @throws IllegalArgumentException an unknown target or LUN, or a capacity the disk refuses
     * @throws java.io.UncheckedIOException when a backing file cannot change its length
     * @throws Reconfiguration a SANITIZE or FORMAT UNIT is running on the LUN
     */
    public void resize(String targetIqn, int lun, long newCapacityBytes) {
        Reconfigurations.resize(this, targetIqn, lun, newCapacityBytes);
    }

    /**
     * Adds a LUN to a running target (hot plug): the disk is made as the configuration file would make it, attached
     * to the target's controller, found by the port's rescan and mapped; every I_T nexus of the target then gets
     * REPORTED LUNS DATA HAS CHANGED (SPC-4 6.33). The configuration is not rewritten.
     *
     * @throws io.vhba.emulator.config.ConfigException a bad field of {@code lun} (one line naming it)
     * @throws Reconfiguration                         no such target, the LUN exists, or the adapter is not running
     */
    public void addLun(String targetIqn, LunConfig lun) {
        Reconfigurations.addLun(this, targetIqn, lun);
    }

    /**
     * Removes a LUN from a running target: unmapped first (new commands get LOGICAL UNIT NOT SUPPORTED), its
     * outstanding requests finish or are reset, then its disk is detached and closed; every I_T nexus gets
     * REPORTED LUNS DATA HAS CHANGED. The other LUNs are not touched.
     *
     * @throws Reconfiguration no such target or LUN, the target's last LUN, or a SANITIZE/FORMAT UNIT in progress
     */
    public void removeLun(String targetIqn, int lun) {
        Reconfigurations.removeLun(this, targetIqn, lun);
    }

    /**
     * Restarts an adapter while I/O runs: new requests wait, the ones the miniport holds get {@code drainMillis} to
     * finish, then ScsiStopAdapter and ScsiRestartAdapter (see {@link Adapter#restartDrained}).
     *
     * @throws Reconfiguration no such adapter
     */
    public RestartOutcome restartAdapter(String name, long drainMillis) {
        return Reconfigurations.restartAdapter(this, name, drainMillis);
    }

    /** The LUNs of a target now, ascending. */
    public List<LunState> luns(String targetIqn) {
        return Reconfigurations.luns(this, targetIqn);
    }

    /** The adapter that serves {@code targetIqn}. */
    public Adapter adapterOf(String targetIqn) {
        return runtime(targetIqn).adapter;
    }

    /** The target an adapter serves, or empty for an adapter of another emulator. */
    public Optional<String> targetServedBy(Adapter a) {
        return deployed.stream().filter(rt -> rt.adapter == a).map(TargetRuntime::iqn).findFirst();
    }

    /** Up while every adapter runs; otherwise down with each adapter that does not, and why. */
    public Health health() {
        if (changes.closed()) {
            return new Health(false, "vHBA is shutting down");
        }
        return Health.of(deployed.stream().map(rt -> rt.adapter).toList(), engine.verifier().bugChecks());
    }

    /** What the SCSI commands of every session did so far (commands, bytes, latency); cheap to read. */
    public IoStatistics.Snapshot ioStatistics() {
        return sessions.statistics().snapshot();
    }

    /**
     * The run-time changes (resizes, LUNs added and removed; the newest {@value Operations#KEPT} finished ones) and
     * the whole-medium operations (SANITIZE, FORMAT UNIT) running now, with their progress.
     */
    public List<Operations.Operation> operations() {
        return Reconfigurations.operations(this);
    }

    /** {@code http://HOST:PORT} of the management API when it is on ({@code serve --http}, YAML {@code http:}). */
    public Optional<String> managementUrl() {
        return management == null ? Optional.empty() : Optional.of(management.url());
    }

    /**
     * The access control list of target {@code targetIqn}: who may log in and which LUNs each initiator sees. Changes
     * are thread-safe and take effect for the next login and the next command; every nexus of the target then gets
     * REPORTED LUNS DATA HAS CHANGED. Existing sessions are not logged out.
     *
     * @throws IllegalArgumentException for an unknown target
     */
    public AccessControlList acl(String targetIqn) {
        return targets().stream().filter(t -> t.name().equals(targetIqn)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no target " + targetIqn)).acl();
    }

    /** The limits against exhaustion that initiators reached, with their counts. */
    public LimitEvents limitEvents() {
        return limitEvents;
    }

    /** Connections that have not finished their login yet, on every portal. */
    public int loginsInProgress() {
        return logins.count();
    }

    /** The simulated host memory the data buffers come from. */
    public HostMemory hostMemory() {
        return memory;
    }

    public VhbaConfig config() {
        return config;
    }

    public List<InetSocketAddress> portals() {
        return server == null ? List.of() : server.addresses();
    }

    public List<ScsiTarget> targets() {
        return deployed.stream().map(rt -> rt.target).toList();
    }

    public StorportEngine engine() {
        return engine;
    }

    public Kernel kernel() {
        return kernel;
    }

    public List<PciDevice> devices() {
        return List.copyOf(devices);
    }

    /**
     * Serves the portal on an in-VM address too (Netty LocalChannel), with the real pipeline on the
     * simulated processors: how the in-process fuzzers (bench/fuzz.sh) reach the target without sockets.
     */
    public io.netty.channel.local.LocalAddress serveInVm(io.netty.channel.local.LocalAddress address) {
        return server.bindInVm(address);
    }

    public SessionRegistry sessions() {
        return sessions;
    }

    /** Fault injection on this emulator: install and remove faults at run time. */
    public FaultInjector faults() {
        return faults;
    }

    public MeterRegistry meters() {
        return meters;
    }

    /** The meters in the Prometheus text exposition format (version 0.0.4), as {@code GET /metrics} serves them. */
    public String scrape() {
        return meters.scrape();
    }

    /**
     * The iSCSI URL of every LUN: {@code iscsi://HOST:PORT/IQN/LUN} (libiscsi's form), on the first
     * portal; a wildcard portal is given as loopback.
     */
    public List<String> urls() {
        InetSocketAddress a = portals().get(0);
        // A wildcard listener is reachable on loopback; print that rather than an address no initiator can use.
        String host = a.getAddress().isAnyLocalAddress()
                ? (a.getAddress() instanceof java.net.Inet6Address ? "::1" : "127.0.0.1")
                : a.getAddress().getHostAddress();
        if (host.contains(":")) {
            host = "[" + host + "]";
        }
        List<String> l = new ArrayList<>();
        for (ScsiTarget t : targets()) {
            for (TargetLun lun : t.luns()) {
                l.add("iscsi://" + host + ":" + a.getPort() + "/" + t.name() + "/" + lun.lun());
            }
        }
        return l;
    }

    @Override
    public void close() {
        changes.close();
        if (management != null) {
            management.close();
        }
        boolean halted = false;
        if (sim != null) {
            if (booted && !sim.scheduler.isSimulatedThread()) {
                halted = sim.end() == null; // joins the run at its end; a halted run has nobody to take over from
            }
            if (halted) {
                sim.scheduler.terminate();
                writeTrace(); // where it stopped
            }
        }
        if (sim == null && booted) {
            writeTrace(); // free-running: the last events before the stop
        }
        if (server != null) {
            server.close();
        }
        logDataPathSummary();
        if (engine != null && !halted) {
            // Port-side stop: timers and work items cancelled, pool the miniport still holds reported (POOL_LEAK).
            for (Adapter a : engine.adapters()) {
                a.stop();
            }
        }
        for (PciDevice d : devices) {
            d.unplug();
        }
        for (TargetRuntime rt : deployed) {
            rt.disks.values().forEach(Disks.Unit::close);
        }
        if (kernel != null) {
            kernel.close();
        }
        if (drivers != null) {
            drivers.close();
        }
        if (runtimeMetrics != null) {
            runtimeMetrics.close();
        }
        if (sim != null) {
            sim.finish();
        }
    }

    /** One line per adapter at shutdown: what went through the miniport, its device, interrupts and DPCs. */
    private void logDataPathSummary() {
        if (engine == null) {
            return;
        }
        long dpcs = kernel.dpcsRun();
        for (Adapter a : engine.adapters()) {
            AdapterCounters c = a.counters();
            long interrupts = a.interruptsDelivered();
            LOG.info("{}: {} SRBs submitted, {} HwStorStartIo calls, {} RequestComplete notifications, {} interrupts, "
                    + "{} DPCs run (all processors)", a.name(), c.submitted(), c.startIoCalls(), c.requestCompletes(),
                    interrupts, dpcs);
        }
        for (PciDevice d : devices) {
            LOG.info("{}: {}", d.location(), d.model().statistics());
        }
    }
}
