package io.vhba.emulator.runtime;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vhba.emulator.config.AclEntryConfig;
import io.vhba.emulator.config.ChapConfig;
import io.vhba.emulator.config.ConfigException;
import io.vhba.emulator.config.LimitsConfig;
import io.vhba.emulator.config.LunConfig;
import io.vhba.emulator.config.TargetConfig;
import io.vhba.emulator.config.VhbaConfig;
import io.vhba.emulator.fault.FaultInjector;
import io.vhba.emulator.iscsi.IscsiServer;
import io.vhba.emulator.iscsi.login.AuthenticationPolicy;
import io.vhba.emulator.iscsi.login.ChapCredentials;
import io.vhba.emulator.iscsi.login.TargetPolicy;
import io.vhba.emulator.iscsi.session.IoStatistics;
import io.vhba.emulator.iscsi.session.IscsiMetrics;
import io.vhba.emulator.iscsi.session.LoginsInProgress;
import io.vhba.emulator.iscsi.session.PortalContext;
import io.vhba.emulator.iscsi.session.PortalLimits;
import io.vhba.emulator.iscsi.session.SessionRegistry;
import io.vhba.emulator.kernel.Kernel;
import io.vhba.emulator.kernel.KernelMetrics;
import io.vhba.emulator.kernel.KernelViolationSink;
import io.vhba.emulator.limits.Limit;
import io.vhba.emulator.limits.LimitEvents;
import io.vhba.emulator.management.ManagementApi;
import io.vhba.emulator.management.ManagementServer;
import io.vhba.emulator.management.ManagementSettings;
import io.vhba.emulator.platform.HostMemory;
import io.vhba.emulator.platform.MmioBus;
import io.vhba.emulator.platform.PciDevice;
import io.vhba.emulator.platform.PlatformMetrics;
import io.vhba.emulator.runtime.Reconfiguration.Reason;
import io.vhba.emulator.scsi.core.ScsiTarget;
import io.vhba.emulator.scsi.core.ScsiTargetCore;
import io.vhba.emulator.scsi.core.TargetLun;
import io.vhba.emulator.scsi.core.access.AccessControlList;
import io.vhba.emulator.scsi.core.reservation.DirectoryPrStore;
import io.vhba.emulator.scsi.core.reservation.PrStore;
import io.vhba.emulator.scsi.disk.CopyDomain;
import io.vhba.emulator.storport.Adapter;
import io.vhba.emulator.storport.AdapterCounters;
import io.vhba.emulator.storport.DriverLoadException;
import io.vhba.emulator.storport.EngineSettings;
import io.vhba.emulator.storport.PortLogicalUnit;
import io.vhba.emulator.storport.PortServices;
import io.vhba.emulator.storport.RestartOutcome;
import io.vhba.emulator.storport.StorportEngine;
import io.vhba.emulator.storport.StorportMetrics;
import io.vhba.emulator.verifier.StorportVerifier;
import io.vhba.hw.AttachedUnit;
import io.vhba.hw.DeviceModelProvider;
import io.vhba.hw.ScsiBus;
import io.vhba.miniport.MiniportDriver;
import io.vhba.miniport.scsi.AdditionalSense;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running emulator. {@link #start} boots the simulated processors, loads the miniport, plugs
 * one controller per target with that target's disks attached, starts the adapters in Storport's
 * order, maps the LUNs the bus scan found, opens the iSCSI portals and, when configured, the
 * management API. While it runs, LUNs can be added, removed and resized and adapters restarted;
 * those changes are serialised by one lock and every wait in them is bounded.
 */
public final class Vhba implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Vhba.class);

    private final VhbaConfig config;
    /** Every layer records here; {@link #scrape()} renders it for Prometheus. */
    private final PrometheusMeterRegistry meters = newRegistry();
    private RuntimeMetrics runtimeMetrics;
    private Kernel kernel;
    private HostMemory memory;
    private StorportEngine engine;
    private final List<PciDevice> devices = new ArrayList<>();
    private final List<TargetRuntime> deployed = new ArrayList<>();
    private IscsiServer server;
    private SessionRegistry sessions;
    private volatile ScsiTargetCore core;
    private final FaultInjector faults = new FaultInjector(meters);
    /** Every limit an initiator reached, counted (vhba.limits.reached) and logged at a bounded rate. */
    private final LimitEvents limitEvents = new LimitEvents();
    private LoginsInProgress logins;
    /** The built-in drivers and the external ones of {@code config.drivers()}, in their own class loaders. */
    private Drivers drivers;
    private final Operations operations = new Operations();
    /** Serialises LUN changes, resizes and restarts: each reads and changes the LUN map of a target. */
    private final ChangeLock changes = new ChangeLock(operations);
    private LunHotPlug hotPlug;
    private ManagementServer management;
    /** Deterministic mode, or null when free-running. */
    private final Simulation sim;
    /** Each LUN's medium, for a deterministic run's checksums and --dump-lun. */
    private final LunMedia media = new LunMedia();
    private volatile boolean booted;

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
        io.vhba.emulator.record.RecordReader reader = new io.vhba.emulator.record.RecordReader(record);
        VhbaConfig c = reader.header().config();
        if (c != null) {
            c = c.with(c.deterministic(), trace);
        }
        if (c == null || c.deterministic() == null) {
            reader.close();
            throw new ConfigException("record " + record + ": its header has no deterministic configuration");
        }
        try {
            c.validate();
        } catch (ConfigException e) {
            reader.close();
            throw new ConfigException("record " + record + ": " + e.getMessage());
        }
        return boot(c, Simulation.replay(reader));
    }

    /**
     * A closed deterministic run for schedule exploration: no network; {@code onBoot} runs on the booting thread,
     * inside the simulation, once the target is up, and starts the initiator there ({@link SimulatedNetwork}). The run
     * halts past {@code maxSteps} steps or {@code maxVirtualNanos} of virtual time.
     */
    public static Vhba explore(VhbaConfig config, long pctSteps, long maxSteps, long maxVirtualNanos,
                               java.util.function.BiConsumer<Vhba, SimulatedNetwork> onBoot) {
        if (config.deterministic() == null) {
            throw new IllegalArgumentException("exploration needs a deterministic configuration (the seed)");
        }
        config.validate();
        Simulation s = Simulation.explore(config.deterministic(), pctSteps);
        s.scheduler.setLimits(maxSteps, maxVirtualNanos);
        s.onBoot(v -> onBoot.accept(v, new SimulatedNetwork(s)));
        return boot(config, s);
    }

    static Vhba boot(VhbaConfig config, Simulation sim) {
        Vhba v = new Vhba(config, sim);
        try {
            v.boot();
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

    private void boot() {
        // the API's address and token are checked before anything starts: a missing token fails fast
        ManagementSettings http = config.http() == null ? null : ManagementSettings.resolve(config.http(), System::getenv);
        for (Limit l : Limit.values()) {
            FunctionCounter.builder("vhba.limits.reached", limitEvents, e -> e.count(l)).tag("limit", l.key())
                    .description("times initiators reached a limit against exhaustion: " + l.what()).register(meters);
        }
        // Drivers first: a bad --driver or an unknown miniport is refused before any thread starts.
        drivers = Drivers.load(config.drivers());
        MiniportDriver driver = drivers.miniport(config.miniport());
        DeviceModelProvider controller = drivers.controllerFor(driver);
        if (!config.drivers().isEmpty()) {
            LOG.info("miniport {} ({})", driver.name(), drivers.origin(driver.name()));
        }
        // Data-path recording (per command, per SRB, per DPC and ISR) can be switched off; events are always counted.
        boolean dataPath = config.metrics();
        runtimeMetrics = new RuntimeMetrics(meters);
        if (sim != null) {
            sim.scheduler.join("boot", null); // the first simulated thread: everything below registers in this order
        }
        kernel = Kernel.boot(config.processors(), KernelViolationSink.THROWING,
                TimeUnit.SECONDS.toNanos(config.dpcWatchdogSeconds()), sim == null ? null : sim.scheduler,
                config.trace() == null ? 0 : config.trace().events(), describe());
        KernelMetrics.bind(kernel, meters, dataPath);
        memory = new HostMemory(config.hostMemoryBytes());
        PlatformMetrics.bind(meters, memory);
        MmioBus mmio = new MmioBus();
        StorportVerifier verifier = new StorportVerifier(meters);
        io.vhba.emulator.trace.Tracer tr = kernel.trace();
        if (tr != null) {
            verifier.addListener(b -> tr.instant(String.format("bug check 0x%X/0x%X %s", b.code(), b.parameter1(), b.rule()),
                    "verifier", true, "routine", b.routine(), "detail", b.detail()));
        }
        verifier.setEnabled(config.verifier());
        verifier.setPolicy(config.policy());
        engine = new StorportEngine(kernel, memory, mmio, verifier, new EngineSettings(config.ioTimeoutSeconds(), 8),
                new StorportMetrics(meters, dataPath));
        engine.setUnitAttentionListener(this::establishUnitAttention);
        engine.setStartTimeoutMillis(TimeUnit.SECONDS.toMillis(config.startTimeoutSeconds()));
        faults.attachEngine(engine);
        PortServices services;
        try {
            services = engine.load(driver);
        } catch (DriverLoadException e) {
            throw new ConfigException(e.getMessage()); // names the driver and DriverEntry
        }
        Map<ScsiTarget, AuthenticationPolicy> auth = new IdentityHashMap<>();
        int index = 0;
        for (TargetConfig tc : config.targets()) {
            String adapterName = driver.name() + index;
            List<AttachedUnit> units = new ArrayList<>();
            Map<Integer, Disks.Unit> byLun = new java.util.TreeMap<>();
            // EXTENDED COPY runs inside the controller between the units of one target, as an array's copy manager
            CopyDomain copyDomain = new CopyDomain();
            try {
                for (LunConfig lc : tc.luns()) {
                    Disks.Unit d = Disks.create(tc, lc, kernel.threads());
                    byLun.put(lc.lun(), d);
                    media.add(tc.iqn(), lc.lun(), d.store());
                    runtimeMetrics.diskAttached(tc.iqn(), lc.lun(), d.unit());
                    copyDomain.register(d.unit());
                    // The controller runs commands through the fault injector's device boundary.
                    units.add(new AttachedUnit(0, lc.lun(), faults.wrap(adapterName, lc.lun(), d.unit())));
                }
            } catch (RuntimeException e) {
                byLun.values().forEach(Disks.Unit::close);
                throw e;
            }
            PciDevice pci = null;
            ScsiBus bus;
            if (controller != null) {
                pci = PciDevice.plug(controller.create(config.controller().options()), "PCI bus 0 device " + (3 + index),
                        mmio, memory, kernel, units);
                devices.add(pci);
                faults.attachDevice(adapterName, pci, kernel);
                bus = pci.bus();
            } else {
                bus = new ScsiBus(units);
            }
            ScsiTarget target = new ScsiTarget(tc.iqn(), tc.alias(), 1, 1);
            target.setUnitAttentionOnLogin(tc.unitAttentionOnLogin());
            Adapter adapter;
            try {
                adapter = await(kernel, pci == null && services.isVirtual()
                        ? engine.startVirtualAdapter(services, bus, adapterName)
                        : engine.startAdapter(services, pci, adapterName), driver.name(), adapterName);
            } catch (RuntimeException e) {
                byLun.values().forEach(Disks.Unit::close);
                throw e;
            }
            TargetRuntime rt = new TargetRuntime(tc, target, adapter, bus, copyDomain);
            rt.disks.putAll(byLun);
            deployed.add(rt); // from here on close() closes its disks
            runtimeMetrics.adapterStarted(adapter);
            for (LunConfig lc : tc.luns()) {
                PortLogicalUnit plu = adapter.logicalUnit(0, 0, lc.lun());
                if (plu == null) {
                    throw new ConfigException(tc.iqn() + " LUN " + lc.lun() + ": the miniport's bus scan did not report it");
                }
                TargetLun lun = LunHotPlug.targetLun(lc, plu, byLun.get(lc.lun()));
                target.map(lun);
                runtimeMetrics.lunMapped(target, lun, adapter);
            }
            target.acl().replace(tc.acl().stream().map(AclEntryConfig::rule).toList());
            auth.put(target, authentication(tc));
            index++;
        }
        PrStore prStore = config.stateDir() == null ? PrStore.NONE : new DirectoryPrStore(Path.of(config.stateDir()));
        core = new ScsiTargetCore(memory, config.ioTimeoutSeconds(), prStore);
        LimitsConfig limits = config.limits();
        core.limitNexusMemory(limits.sessionHostMemoryBytes(), limitEvents);
        for (ScsiTarget t : targets()) {
            // A changed ACL changes what REPORT LUNS answers (SPC-4 6.33); initiators learn it from a unit attention.
            t.acl().onChange(() -> t.luns().forEach(l -> core.establishUnitAttention(l,
                    AdditionalSense.REPORTED_LUNS_DATA_HAS_CHANGED, null)));
        }
        for (ScsiTarget t : targets()) {
            try {
                core.loadReservations(t); // APTPL state of the previous run (SPC-4 5.13.5)
            } catch (java.io.UncheckedIOException e) {
                throw new ConfigException(e.getMessage() + ": " + e.getCause().getMessage());
            }
        }
        core.onNexusLoss((target, nexus) -> runtimeOf(target).copyDomain.nexusLost());
        hotPlug = new LunHotPlug(core, faults, kernel, runtimeMetrics);
        PortalLimits portalLimits = limits.portalLimits();
        IscsiMetrics iscsiMetrics = new IscsiMetrics(meters, dataPath);
        targets().forEach(iscsiMetrics::targetAdded);
        sessions = new SessionRegistry(core, portalLimits.maxSessions(), portalLimits.maxSessionsPerTarget(), limitEvents,
                iscsiMetrics);
        Catalog catalog = new Catalog(targets(), this::portalAddresses);
        AuthenticationPolicy discovery = config.discoveryChap() == null ? AuthenticationPolicy.none()
                : authentication(config.discoveryChap(), "discoveryChap");
        TargetPolicy policy = TargetPolicy.builder().textLimits(limits.textLimits()).build();
        PortalContext portal = new PortalContext(sessions, catalog, policy, auth::get, discovery,
                TimeUnit.SECONDS.toMillis(config.nopInIntervalSeconds()),
                TimeUnit.SECONDS.toMillis(config.nopInTimeoutSeconds()), limits.loginTimeoutMillis(), portalLimits,
                limitEvents, logins = new LoginsInProgress(portalLimits.maxLoginsInProgress(),
                        portalLimits.maxLoginsInProgressPerPortal(), limitEvents), kernel::nanoTime,
                sim == null ? java.security.SecureRandom::new : sim::secureRandom, kernel.trace());
        if (sim == null) {
            server = IscsiServer.bind(kernel, portal, config.portals());
            LOG.info("vHBA serving {} target(s) on {}", deployed.size(), server.addresses());
        } else {
            server = sim.network(this, new io.vhba.emulator.iscsi.sim.SimConnections(kernel, portal), config.portals());
            LOG.info("vHBA {} {} target(s) deterministically (seed {}, {}){}", sim.mode == Simulation.Mode.LIVE
                    ? "serving" : "simulating", deployed.size(), sim.scheduler.seed(), sim.scheduler.strategy(),
                    server == null ? "" : " on " + server.addresses());
        }
        List<String> open = new ArrayList<>();
        for (TargetRuntime rt : deployed) {
            if (rt.config.chap() == null && rt.target.acl().isOpen()) {
                open.add(rt.iqn());
            }
        }
        OpenTargets.warning(open, portals()).ifPresent(LOG::warn);
        if (http != null) {
            management = ManagementServer.start(ManagementApi.routes(this), http);
        }
        booted = true;
        if (sim != null) {
            sim.booted(this);
            sim.scheduler.leave(); // from here on the booting thread is outside the simulation
        }
    }

    /** What the timeline's metadata says ran (nothing that differs between a run and its replay). */
    private String describe() {
        return (sim == null ? "free-running" : "deterministic, seed " + sim.scheduler.seed() + ", " + sim.scheduler.strategy())
                + ", miniport " + config.miniport() + ", " + config.processors() + " processors";
    }

    /** Writes the timeline, if one was asked for. */
    void writeTrace() {
        if (kernel != null && kernel.trace() != null && config.trace() != null) {
            kernel.trace().write(Path.of(config.trace().file()));
            LOG.info("timeline written to {} ({} events recorded)", config.trace().file(), kernel.trace().recorded());
        }
    }

    /** The portals discovery answers name: the bound ones, or a replay's recorded ones, or none. */
    private List<InetSocketAddress> portalAddresses() {
        if (server != null) {
            return server.addresses();
        }
        List<InetSocketAddress> l = new ArrayList<>();
        List<String> recorded = sim == null || sim.recordedPortals() == null ? List.of("127.0.0.1:3260") : sim.recordedPortals();
        for (String p : recorded) {
            int colon = p.lastIndexOf(':');
            l.add(new InetSocketAddress(p.substring(0, colon).replace("[", "").replace("]", ""),
                    Integer.parseInt(p.substring(colon + 1))));
        }
        return l;
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
        long srbs = 0;
        for (Adapter a : engine.adapters()) {
            srbs += a.counters().submitted();
        }
        List<String> bugChecks = new ArrayList<>();
        for (io.vhba.emulator.verifier.BugCheck b : engine.verifier().bugChecks()) {
            // no parameters 2-4: several are identity hashes, which differ from one JVM to the next
            bugChecks.add(String.format("0x%X/0x%X %s on %s in %s: %s", b.code(), b.parameter1(), b.rule(), b.adapter(),
                    b.routine(), b.detail()));
        }
        return new io.vhba.emulator.record.RunSummary(steps, virtualNanos, srbs, bugChecks, media.checksums());
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

    private TargetRuntime runtimeOf(ScsiTarget t) {
        for (TargetRuntime rt : deployed) {
            if (rt.target == t) {
                return rt;
            }
        }
        throw new IllegalStateException("no runtime for " + t.name());
    }

    private TargetRuntime runtime(String iqn) {
        for (TargetRuntime rt : deployed) {
            if (rt.iqn().equals(iqn)) {
                return rt;
            }
        }
        throw new Reconfiguration(Reason.NOT_FOUND, "no target " + iqn);
    }

    /** The port's resets and rescans reach the initiators as unit attentions on every LUN the engine unit serves. */
    private void establishUnitAttention(PortLogicalUnit unit, AdditionalSense condition) {
        ScsiTargetCore c = core;
        if (c == null) {
            return; // still booting: no nexus exists yet
        }
        for (TargetRuntime rt : deployed) {
            if (rt.replugging && condition == AdditionalSense.REPORTED_LUNS_DATA_HAS_CHANGED) {
                continue; // the core raised it for the LUN being added or removed (LunHotPlug)
            }
            for (TargetLun l : rt.target.luns()) {
                if (l.port() == unit) {
                    c.establishUnitAttention(l, condition, null);
                }
            }
        }
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
        TargetRuntime rt;
        try {
            rt = runtime(targetIqn);
        } catch (Reconfiguration e) {
            throw new IllegalArgumentException(e.getMessage());
        }
        TargetLun l = rt.target.lun(lun);
        Disks.Unit d = l == null ? null : rt.disks.get(lun);
        if (d == null) {
            throw new IllegalArgumentException("target " + targetIqn + " has no LUN " + lun);
        }
        changes.change(Operations.Kind.RESIZE, targetIqn, lun, "to " + newCapacityBytes + " bytes", op -> {
            // the resize would wait for the whole-medium operation's exclusive lock, for minutes
            d.unit().mediumOperation().ifPresent(p -> {
                throw new Reconfiguration(Reason.CONFLICT, String.format("%s LUN %d: a %s is in progress (%.0f%%); "
                        + "resize it when it ends", targetIqn, lun, p.operation(), p.percent()));
            });
            d.unit().resize(newCapacityBytes);
            core.establishUnitAttention(l, AdditionalSense.CAPACITY_DATA_HAS_CHANGED, null);
        });
        LOG.info("{} LUN {}: capacity now {} bytes", targetIqn, lun, newCapacityBytes);
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
        TargetRuntime rt = runtime(targetIqn);
        changes.change(Operations.Kind.LUN_ADD, targetIqn, lun.lun(), "add LUN " + lun.lun(), op -> {
            refuseSharedFile(lun);
            hotPlug.add(rt, lun, op);
        });
    }

    /** Two LUNs on one backing file would write over each other's data: a new LUN's file must be nobody's. */
    private void refuseSharedFile(LunConfig lun) {
        if (lun.file() == null) {
            return;
        }
        Path wanted = canonical(lun.file());
        for (TargetRuntime other : deployed) {
            other.disks.forEach((n, d) -> {
                if (d.config().file() != null && canonical(d.config().file()).equals(wanted)) {
                    throw new Reconfiguration(Reason.CONFLICT, "file " + lun.file() + " already backs " + other.iqn() + " LUN " + n);
                }
            });
        }
    }

    private static Path canonical(String file) {
        Path p = Path.of(file).toAbsolutePath().normalize();
        try {
            return p.toRealPath(); // the same file by another name (a symbolic link) is the same file
        } catch (java.io.IOException e) {
            return p; // not there yet: it cannot be another LUN's
        }
    }

    /**
     * Removes a LUN from a running target: unmapped first (new commands get LOGICAL UNIT NOT SUPPORTED), its
     * outstanding requests finish or are reset, then its disk is detached and closed; every I_T nexus gets
     * REPORTED LUNS DATA HAS CHANGED. The other LUNs are not touched.
     *
     * @throws Reconfiguration no such target or LUN, the target's last LUN, or a SANITIZE/FORMAT UNIT in progress
     */
    public void removeLun(String targetIqn, int lun) {
        TargetRuntime rt = runtime(targetIqn);
        changes.change(Operations.Kind.LUN_REMOVE, targetIqn, lun, "remove LUN " + lun, op -> hotPlug.remove(rt, lun, op));
    }

    /**
     * Restarts an adapter while I/O runs: new requests wait, the ones the miniport holds get {@code drainMillis} to
     * finish, then ScsiStopAdapter and ScsiRestartAdapter (see {@link Adapter#restartDrained}).
     *
     * @throws Reconfiguration no such adapter
     */
    public RestartOutcome restartAdapter(String name, long drainMillis) {
        Adapter a = deployed.stream().map(rt -> rt.adapter).filter(x -> x.name().equals(name)).findFirst()
                .orElseThrow(() -> new Reconfiguration(Reason.NOT_FOUND, "no adapter " + name));
        RestartOutcome[] outcome = new RestartOutcome[1];
        changes.run(() -> {
            outcome[0] = a.restartDrained(drainMillis);
            LOG.info("adapter {}: restart requested: {}", name, outcome[0]);
        });
        return outcome[0];
    }

    /** The LUNs of a target now, ascending. */
    public List<LunState> luns(String targetIqn) {
        TargetRuntime rt = runtime(targetIqn);
        List<LunState> l = new ArrayList<>();
        for (TargetLun tl : rt.target.luns()) {
            Disks.Unit d = rt.disks.get(tl.lun());
            if (d != null) {
                l.add(new LunState(tl.lun(), d.config(), d.unit().config().geometry().capacityBytes(), tl.blockSize(),
                        tl.port().outstanding() + tl.port().pendingCount(), d.unit().mediumOperation()));
            }
        }
        return l;
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
        List<Operations.Operation> l = new ArrayList<>(operations.list());
        for (TargetRuntime rt : deployed) {
            rt.disks.forEach((lun, d) -> d.unit().mediumOperation().ifPresent(p -> l.add(new Operations.Operation(
                    p.operation() + ":" + rt.iqn() + "/" + lun, Operations.Kind.valueOf(p.operation()), rt.iqn(), lun,
                    Operations.State.RUNNING, p.percent(), null, null, p.operation() + " of the whole medium"))));
        }
        return l;
    }

    /** {@code http://HOST:PORT} of the management API when it is on ({@code serve --http}, YAML {@code http:}). */
    public Optional<String> managementUrl() {
        return management == null ? Optional.empty() : Optional.of(management.url());
    }

    private static AuthenticationPolicy authentication(TargetConfig tc) {
        return tc.chap() == null ? AuthenticationPolicy.none() : authentication(tc.chap(), tc.iqn() + " chap");
    }

    /** The CHAP policy of {@code chap}, its secrets read from where they are kept (inline, file, environment). */
    private static AuthenticationPolicy authentication(ChapConfig chap, String where) {
        ChapCredentials initiator = ChapCredentials.of(chap.user(), chap.secretValue(where, System::getenv));
        if (!chap.mutual()) {
            return AuthenticationPolicy.chap(initiator);
        }
        return AuthenticationPolicy.mutualChap(initiator,
                ChapCredentials.of(chap.mutualUser(), chap.mutualSecretValue(where, System::getenv)));
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

    /**
     * Waits for an adapter start. The engine's start watchdog ends every start-up callback within the start
     * timeout (FindAdapter, HwInitialize, the passive routine, each bus scan command), so this only backs it up.
     */
    private Adapter await(Kernel kernel, java.util.concurrent.CompletableFuture<Adapter> f, String miniport, String name) {
        if (kernel.scheduler() != null) {
            try {
                return kernel.threads().join(f); // a scheduler wait: the processors start it meanwhile
            } catch (java.util.concurrent.CompletionException e) {
                throw new ConfigException("miniport " + miniport + ": adapter " + name + " did not start: "
                        + e.getCause().getMessage());
            }
        }
        long backstop = 4L * config.startTimeoutSeconds() + 30;
        try {
            return f.get(backstop, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new ConfigException("miniport " + miniport + ": adapter " + name + " did not start: " + e.getCause().getMessage());
        } catch (TimeoutException e) {
            throw new ConfigException("miniport " + miniport + ": adapter " + name + " did not start within " + backstop + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConfigException("interrupted while starting " + name);
        }
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
