package io.vhba.emulator.runtime;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vhba.emulator.config.ConfigException;
import io.vhba.emulator.config.LunConfig;
import io.vhba.emulator.config.TargetConfig;
import io.vhba.emulator.config.VhbaConfig;
import io.vhba.emulator.fault.FaultInjector;
import io.vhba.emulator.iscsi.IscsiServer;
import io.vhba.emulator.iscsi.login.AuthenticationPolicy;
import io.vhba.emulator.iscsi.login.ChapCredentials;
import io.vhba.emulator.iscsi.login.TargetPolicy;
import io.vhba.emulator.iscsi.session.PortalContext;
import io.vhba.emulator.iscsi.session.SessionRegistry;
import io.vhba.emulator.kernel.Kernel;
import io.vhba.emulator.kernel.KernelViolationSink;
import io.vhba.emulator.platform.HostMemory;
import io.vhba.emulator.platform.MmioBus;
import io.vhba.emulator.platform.PciDevice;
import io.vhba.emulator.scsi.core.ScsiTarget;
import io.vhba.emulator.scsi.core.ScsiTargetCore;
import io.vhba.emulator.scsi.core.TargetLun;
import io.vhba.emulator.scsi.core.reservation.DirectoryPrStore;
import io.vhba.emulator.scsi.core.reservation.PrStore;
import io.vhba.emulator.scsi.disk.CopyDomain;
import io.vhba.emulator.scsi.disk.DiskLogicalUnit;
import io.vhba.emulator.storport.Adapter;
import io.vhba.emulator.storport.AdapterCounters;
import io.vhba.emulator.storport.EngineSettings;
import io.vhba.emulator.storport.PortLogicalUnit;
import io.vhba.emulator.storport.PortServices;
import io.vhba.emulator.storport.StorportEngine;
import io.vhba.emulator.verifier.StorportVerifier;
import io.vhba.hw.AttachedUnit;
import io.vhba.hw.DeviceModelProvider;
import io.vhba.miniport.MiniportDriver;
import io.vhba.miniport.scsi.AdditionalSense;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running emulator. {@link #start} boots the simulated processors, loads the miniport, plugs
 * one controller per target with that target's disks attached, starts the adapters in Storport's
 * order, maps the LUNs the bus scan found, and opens the iSCSI portals.
 */
public final class Vhba implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Vhba.class);

    private final VhbaConfig config;
    /** Every layer records here; {@link #scrape()} renders it for Prometheus. */
    private final PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private Kernel kernel;
    private HostMemory memory;
    private StorportEngine engine;
    private final List<PciDevice> devices = new ArrayList<>();
    private final List<ScsiTarget> targets = new ArrayList<>();
    private final List<Disks.Unit> disks = new ArrayList<>();
    /** The disk model behind each mapped LUN, for {@link #resize}. */
    private final Map<TargetLun, DiskLogicalUnit> diskOf = new IdentityHashMap<>();
    private IscsiServer server;
    private SessionRegistry sessions;
    private volatile ScsiTargetCore core;
    private final FaultInjector faults = new FaultInjector();
    /** Deterministic mode, or null when free-running. */
    private final Simulation sim;
    /** Each LUN's store, by "IQN/LUN", for a deterministic run's medium checksums. */
    private final Map<String, io.vhba.emulator.scsi.disk.BackingStore> media = new java.util.LinkedHashMap<>();
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

    private void boot() {
        if (sim != null) {
            sim.scheduler.join("boot", null); // the first simulated thread: everything below registers in this order
        }
        kernel = Kernel.boot(config.processors(), KernelViolationSink.THROWING, sim == null ? null : sim.scheduler,
                config.trace() == null ? 0 : config.trace().events(), describe());
        memory = new HostMemory(config.hostMemoryBytes());
        MmioBus mmio = new MmioBus();
        StorportVerifier verifier = new StorportVerifier(meters);
        io.vhba.emulator.trace.Tracer tr = kernel.trace();
        if (tr != null) {
            verifier.addListener(b -> tr.instant(String.format("bug check 0x%X/0x%X %s", b.code(), b.parameter1(), b.rule()),
                    "verifier", true, "routine", b.routine(), "detail", b.detail()));
        }
        verifier.setEnabled(config.verifier());
        verifier.setPolicy(config.policy());
        engine = new StorportEngine(kernel, memory, mmio, verifier, new EngineSettings(config.ioTimeoutSeconds(), 8));
        engine.setUnitAttentionListener(this::establishUnitAttention);
        faults.attachEngine(engine);
        MiniportDriver driver = Drivers.miniport(config.miniport());
        DeviceModelProvider controller = Drivers.controllerFor(driver);
        PortServices services = engine.load(driver);
        Map<ScsiTarget, AuthenticationPolicy> auth = new IdentityHashMap<>();
        Map<ScsiTarget, CopyDomain> copyDomains = new IdentityHashMap<>();
        int index = 0;
        for (TargetConfig tc : config.targets()) {
            String adapterName = driver.name() + index;
            List<AttachedUnit> units = new ArrayList<>();
            Map<Integer, DiskLogicalUnit> byLun = new HashMap<>();
            // EXTENDED COPY runs inside the controller between the units of one target, as an array's copy manager
            CopyDomain copyDomain = new CopyDomain();
            for (LunConfig lc : tc.luns()) {
                Disks.Unit d = Disks.create(tc, lc, kernel.threads());
                disks.add(d);
                media.put(tc.iqn() + "/" + lc.lun(), d.store());
                byLun.put(lc.lun(), d.unit());
                copyDomain.register(d.unit());
                // The controller runs commands through the fault injector's device boundary.
                units.add(new AttachedUnit(0, lc.lun(), faults.wrap(adapterName, lc.lun(), d.unit())));
            }
            PciDevice pci = null;
            if (controller != null) {
                pci = PciDevice.plug(controller.create(config.controller().options()), "PCI bus 0 device " + (3 + index),
                        mmio, memory, kernel, units);
                devices.add(pci);
                faults.attachDevice(adapterName, pci, kernel);
            }
            Adapter adapter = await(kernel, pci == null && services.isVirtual()
                    ? engine.startVirtualAdapter(services, units, adapterName)
                    : engine.startAdapter(services, pci, adapterName), adapterName);
            RecoveryMeters.register(meters, adapter);
            ScsiTarget target = new ScsiTarget(tc.iqn(), tc.alias(), 1, 1);
            target.setUnitAttentionOnLogin(tc.unitAttentionOnLogin());
            for (LunConfig lc : tc.luns()) {
                PortLogicalUnit plu = adapter.logicalUnit(0, 0, lc.lun());
                if (plu == null) {
                    throw new ConfigException(tc.iqn() + " LUN " + lc.lun() + ": the miniport's bus scan did not report it");
                }
                TargetLun lun = new TargetLun(lc.lun(), plu, lc.blockSize());
                target.map(lun);
                diskOf.put(lun, byLun.get(lc.lun()));
            }
            targets.add(target);
            copyDomains.put(target, copyDomain);
            auth.put(target, authentication(tc));
            index++;
        }
        PrStore prStore = config.stateDir() == null ? PrStore.NONE : new DirectoryPrStore(Path.of(config.stateDir()));
        core = new ScsiTargetCore(memory, config.ioTimeoutSeconds(), prStore);
        for (ScsiTarget t : targets) {
            try {
                core.loadReservations(t); // APTPL state of the previous run (SPC-4 5.13.5)
            } catch (java.io.UncheckedIOException e) {
                throw new ConfigException(e.getMessage() + ": " + e.getCause().getMessage());
            }
        }
        core.onNexusLoss((target, nexus) -> copyDomains.get(target).nexusLost());
        sessions = new SessionRegistry(core);
        Catalog catalog = new Catalog(targets, this::portalAddresses);
        PortalContext portal = new PortalContext(sessions, catalog, TargetPolicy.defaults(), auth::get,
                AuthenticationPolicy.none(), TimeUnit.SECONDS.toMillis(config.nopInIntervalSeconds()),
                TimeUnit.SECONDS.toMillis(config.nopInTimeoutSeconds()), 30_000, kernel::nanoTime,
                sim == null ? java.security.SecureRandom::new : sim::secureRandom, kernel.trace());
        if (sim == null) {
            server = IscsiServer.bind(kernel, portal, config.portals());
            LOG.info("vHBA serving {} target(s) on {}", targets.size(), server.addresses());
        } else {
            server = sim.network(this, new io.vhba.emulator.iscsi.sim.SimConnections(kernel, portal), config.portals());
            LOG.info("vHBA {} {} target(s) deterministically (seed {}, {}){}", sim.mode == Simulation.Mode.LIVE
                    ? "serving" : "simulating", targets.size(), sim.scheduler.seed(), sim.scheduler.strategy(),
                    server == null ? "" : " on " + server.addresses());
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
        Map<String, String> crc = new java.util.LinkedHashMap<>();
        media.forEach((lun, store) -> crc.put(lun, String.format("%08x",
                io.vhba.emulator.scsi.disk.MediumChecksum.of(store))));
        return new io.vhba.emulator.record.RunSummary(steps, virtualNanos, srbs, bugChecks, crc);
    }

    Simulation simulation() {
        return sim;
    }

    /**
     * Writes a LUN's whole medium to {@code file}: {@code lun} is a LUN number of the first target, or "IQN/LUN". For
     * comparing what runs leave on a disk (in a deterministic run, call it after {@link #awaitEnd()}).
     */
    public void writeMedium(String lun, Path file) {
        String key = lun.contains("/") ? lun : targets.get(0).name() + "/" + lun;
        io.vhba.emulator.scsi.disk.BackingStore store = media.get(key);
        if (store == null) {
            throw new ConfigException("no LUN " + lun + "; LUNs: " + String.join(", ", media.keySet()));
        }
        java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocate(1 << 20);
        try (java.nio.channels.FileChannel out = java.nio.channels.FileChannel.open(file,
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.WRITE,
                java.nio.file.StandardOpenOption.TRUNCATE_EXISTING)) {
            for (long off = 0; off < store.capacity(); off += buf.capacity()) {
                buf.clear().limit((int) Math.min(buf.capacity(), store.capacity() - off));
                store.read(off, buf);
                buf.flip();
                while (buf.hasRemaining()) {
                    out.write(buf);
                }
            }
        } catch (java.io.IOException e) {
            throw new ConfigException("--dump-lun " + lun + ": " + file + ": " + e.getMessage());
        }
    }

    /** The port's resets and rescans reach the initiators as unit attentions on every LUN the engine unit serves. */
    private void establishUnitAttention(PortLogicalUnit unit, AdditionalSense condition) {
        ScsiTargetCore c = core;
        if (c == null) {
            return; // still booting: no nexus exists yet
        }
        for (ScsiTarget t : targets) {
            for (TargetLun l : t.luns()) {
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
     */
    public void resize(String targetIqn, int lun, long newCapacityBytes) {
        ScsiTarget target = targets.stream().filter(t -> t.name().equals(targetIqn)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no target " + targetIqn));
        TargetLun l = target.lun(lun);
        DiskLogicalUnit disk = l == null ? null : diskOf.get(l);
        if (disk == null) {
            throw new IllegalArgumentException("target " + targetIqn + " has no LUN " + lun);
        }
        disk.resize(newCapacityBytes);
        core.establishUnitAttention(l, AdditionalSense.CAPACITY_DATA_HAS_CHANGED, null);
        LOG.info("{} LUN {}: capacity now {} bytes", targetIqn, lun, newCapacityBytes);
    }

    private static AuthenticationPolicy authentication(TargetConfig tc) {
        if (tc.chap() == null) {
            return AuthenticationPolicy.none();
        }
        ChapCredentials initiator = ChapCredentials.of(tc.chap().user(), tc.chap().secret());
        if (tc.chap().mutualUser() == null) {
            return AuthenticationPolicy.chap(initiator);
        }
        return AuthenticationPolicy.mutualChap(initiator, ChapCredentials.of(tc.chap().mutualUser(), tc.chap().mutualSecret()));
    }

    private static Adapter await(Kernel kernel, java.util.concurrent.CompletableFuture<Adapter> f, String name) {
        if (kernel.scheduler() != null) {
            try {
                return kernel.threads().join(f); // a scheduler wait: the processors start it meanwhile
            } catch (java.util.concurrent.CompletionException e) {
                throw new ConfigException("adapter " + name + " did not start: " + e.getCause().getMessage());
            }
        }
        try {
            return f.get(60, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new ConfigException("adapter " + name + " did not start: " + e.getCause().getMessage());
        } catch (TimeoutException e) {
            throw new ConfigException("adapter " + name + " did not start within 60 s");
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
        return List.copyOf(targets);
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
        for (ScsiTarget t : targets) {
            for (TargetLun lun : t.luns()) {
                l.add("iscsi://" + host + ":" + a.getPort() + "/" + t.name() + "/" + lun.lun());
            }
        }
        return l;
    }

    @Override
    public void close() {
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
        for (Disks.Unit d : disks) {
            d.close();
        }
        if (kernel != null) {
            kernel.close();
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
