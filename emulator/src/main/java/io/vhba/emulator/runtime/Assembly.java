package io.vhba.emulator.runtime;

import io.micrometer.core.instrument.FunctionCounter;
import io.vhba.emulator.config.AclEntryConfig;
import io.vhba.emulator.config.ChapConfig;
import io.vhba.emulator.config.ConfigException;
import io.vhba.emulator.config.LimitsConfig;
import io.vhba.emulator.config.LunConfig;
import io.vhba.emulator.config.TargetConfig;
import io.vhba.emulator.iscsi.IscsiServer;
import io.vhba.emulator.iscsi.login.AuthenticationPolicy;
import io.vhba.emulator.iscsi.login.ChapCredentials;
import io.vhba.emulator.iscsi.login.TargetPolicy;
import io.vhba.emulator.iscsi.session.IscsiMetrics;
import io.vhba.emulator.iscsi.session.LoginsInProgress;
import io.vhba.emulator.iscsi.session.PortalContext;
import io.vhba.emulator.iscsi.session.PortalLimits;
import io.vhba.emulator.iscsi.session.SessionRegistry;
import io.vhba.emulator.kernel.Kernel;
import io.vhba.emulator.kernel.KernelMetrics;
import io.vhba.emulator.kernel.KernelViolationSink;
import io.vhba.emulator.limits.Limit;
import io.vhba.emulator.management.ManagementApi;
import io.vhba.emulator.management.ManagementServer;
import io.vhba.emulator.management.ManagementSettings;
import io.vhba.emulator.platform.HostMemory;
import io.vhba.emulator.platform.MmioBus;
import io.vhba.emulator.platform.PciDevice;
import io.vhba.emulator.platform.PlatformMetrics;
import io.vhba.emulator.scsi.core.ScsiTarget;
import io.vhba.emulator.scsi.core.ScsiTargetCore;
import io.vhba.emulator.scsi.core.TargetLun;
import io.vhba.emulator.scsi.core.reservation.DirectoryPrStore;
import io.vhba.emulator.scsi.core.reservation.PrStore;
import io.vhba.emulator.scsi.disk.CopyDomain;
import io.vhba.emulator.storport.Adapter;
import io.vhba.emulator.storport.DriverLoadException;
import io.vhba.emulator.storport.EngineSettings;
import io.vhba.emulator.storport.PortLogicalUnit;
import io.vhba.emulator.storport.PortServices;
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
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Assembling a {@link Vhba}: boots the simulated processors, loads the miniport, plugs one controller per target with
 * that target's disks attached, starts the adapters in Storport's order, maps the LUNs the bus scan found, opens the
 * iSCSI portals and, when configured, the management API. Each part is set on the {@code Vhba} as soon as it exists,
 * so a failure part-way leaves {@link Vhba#close()} what to stop.
 */
final class Assembly {
    private static final Logger LOG = LoggerFactory.getLogger(Vhba.class); // the log category stays "Vhba"

    private Assembly() {}

    /** Boots what {@code v}'s configuration describes, in this order; each part is set on {@code v} as it starts. */
    static void boot(Vhba v) {
        // the API's address and token are checked before anything starts: a missing token fails fast
        ManagementSettings http = v.config.http() == null ? null
                : ManagementSettings.resolve(v.config.http(), System::getenv);
        for (Limit l : Limit.values()) {
            FunctionCounter.builder("vhba.limits.reached", v.limitEvents, e -> e.count(l)).tag("limit", l.key())
                    .description("times initiators reached a limit against exhaustion: " + l.what()).register(v.meters);
        }
        // Drivers first: a bad --driver or an unknown miniport is refused before any thread starts.
        v.drivers = Drivers.load(v.config.drivers());
        MiniportDriver driver = v.drivers.miniport(v.config.miniport());
        DeviceModelProvider controller = v.drivers.controllerFor(driver);
        if (!v.config.drivers().isEmpty()) {
            LOG.info("miniport {} ({})", driver.name(), v.drivers.origin(driver.name()));
        }
        // Data-path recording (per command, per SRB, per DPC and ISR) can be switched off; events are always counted.
        boolean dataPath = v.config.metrics();
        v.runtimeMetrics = new RuntimeMetrics(v.meters);
        if (v.sim != null) {
            v.sim.scheduler.join("boot", null); // the first simulated thread: everything below registers in this order
        }
        v.kernel = Kernel.boot(v.config.processors(), KernelViolationSink.THROWING,
                TimeUnit.SECONDS.toNanos(v.config.dpcWatchdogSeconds()), v.sim == null ? null : v.sim.scheduler,
                v.config.trace() == null ? 0 : v.config.trace().events(), DeterministicRun.describe(v));
        KernelMetrics.bind(v.kernel, v.meters, dataPath);
        v.memory = new HostMemory(v.config.hostMemoryBytes());
        PlatformMetrics.bind(v.meters, v.memory);
        MmioBus mmio = new MmioBus();
        StorportVerifier verifier = new StorportVerifier(v.meters);
        io.vhba.emulator.trace.Tracer tr = v.kernel.trace();
        if (tr != null) {
            verifier.addListener(b -> tr.instant(String.format("bug check 0x%X/0x%X %s", b.code(), b.parameter1(), b.rule()),
                    "verifier", true, "routine", b.routine(), "detail", b.detail()));
        }
        verifier.setEnabled(v.config.verifier());
        verifier.setPolicy(v.config.policy());
        v.engine = new StorportEngine(v.kernel, v.memory, mmio, verifier, new EngineSettings(v.config.ioTimeoutSeconds(), 8),
                new StorportMetrics(v.meters, dataPath));
        v.engine.setUnitAttentionListener((unit, condition) -> Reconfigurations.establishUnitAttention(v, unit, condition));
        v.engine.setStartTimeoutMillis(TimeUnit.SECONDS.toMillis(v.config.startTimeoutSeconds()));
        v.faults.attachEngine(v.engine);
        PortServices services;
        try {
            services = v.engine.load(driver);
        } catch (DriverLoadException e) {
            throw new ConfigException(e.getMessage()); // names the driver and DriverEntry
        }
        Map<ScsiTarget, AuthenticationPolicy> auth = new IdentityHashMap<>();
        int index = 0;
        for (TargetConfig tc : v.config.targets()) {
            String adapterName = driver.name() + index;
            List<AttachedUnit> units = new ArrayList<>();
            Map<Integer, Disks.Unit> byLun = new java.util.TreeMap<>();
            // EXTENDED COPY runs inside the controller between the units of one target, as an array's copy manager
            CopyDomain copyDomain = new CopyDomain();
            try {
                for (LunConfig lc : tc.luns()) {
                    Disks.Unit d = Disks.create(tc, lc, v.kernel.threads());
                    byLun.put(lc.lun(), d);
                    v.media.add(tc.iqn(), lc.lun(), d.store());
                    v.runtimeMetrics.diskAttached(tc.iqn(), lc.lun(), d.unit());
                    copyDomain.register(d.unit());
                    // The controller runs commands through the fault injector's device boundary.
                    units.add(new AttachedUnit(0, lc.lun(), v.faults.wrap(adapterName, lc.lun(), d.unit())));
                }
            } catch (RuntimeException e) {
                byLun.values().forEach(Disks.Unit::close);
                throw e;
            }
            PciDevice pci = null;
            ScsiBus bus;
            if (controller != null) {
                pci = PciDevice.plug(controller.create(v.config.controller().options()), "PCI bus 0 device " + (3 + index),
                        mmio, v.memory, v.kernel, units);
                v.devices.add(pci);
                v.faults.attachDevice(adapterName, pci, v.kernel);
                bus = pci.bus();
            } else {
                bus = new ScsiBus(units);
            }
            ScsiTarget target = new ScsiTarget(tc.iqn(), tc.alias(), 1, 1);
            target.setUnitAttentionOnLogin(tc.unitAttentionOnLogin());
            Adapter adapter;
            try {
                adapter = await(v, pci == null && services.isVirtual()
                        ? v.engine.startVirtualAdapter(services, bus, adapterName)
                        : v.engine.startAdapter(services, pci, adapterName), driver.name(), adapterName);
            } catch (RuntimeException e) {
                byLun.values().forEach(Disks.Unit::close);
                throw e;
            }
            TargetRuntime rt = new TargetRuntime(tc, target, adapter, bus, copyDomain);
            rt.disks.putAll(byLun);
            v.deployed.add(rt); // from here on close() closes its disks
            v.runtimeMetrics.adapterStarted(adapter);
            for (LunConfig lc : tc.luns()) {
                PortLogicalUnit plu = adapter.logicalUnit(0, 0, lc.lun());
                if (plu == null) {
                    throw new ConfigException(tc.iqn() + " LUN " + lc.lun() + ": the miniport's bus scan did not report it");
                }
                TargetLun lun = LunHotPlug.targetLun(lc, plu, byLun.get(lc.lun()));
                target.map(lun);
                v.runtimeMetrics.lunMapped(target, lun, adapter);
            }
            target.acl().replace(tc.acl().stream().map(AclEntryConfig::rule).toList());
            auth.put(target, authentication(tc));
            index++;
        }
        PrStore prStore = v.config.stateDir() == null ? PrStore.NONE : new DirectoryPrStore(Path.of(v.config.stateDir()));
        v.core = new ScsiTargetCore(v.memory, v.config.ioTimeoutSeconds(), prStore);
        LimitsConfig limits = v.config.limits();
        v.core.limitNexusMemory(limits.sessionHostMemoryBytes(), v.limitEvents);
        for (ScsiTarget t : v.targets()) {
            // A changed ACL changes what REPORT LUNS answers (SPC-4 6.33); initiators learn it from a unit attention.
            t.acl().onChange(() -> t.luns().forEach(l -> v.core.establishUnitAttention(l,
                    AdditionalSense.REPORTED_LUNS_DATA_HAS_CHANGED, null)));
        }
        for (ScsiTarget t : v.targets()) {
            try {
                v.core.loadReservations(t); // APTPL state of the previous run (SPC-4 5.13.5)
            } catch (java.io.UncheckedIOException e) {
                throw new ConfigException(e.getMessage() + ": " + e.getCause().getMessage());
            }
        }
        v.core.onNexusLoss((target, nexus) -> v.runtimeOf(target).copyDomain.nexusLost());
        v.hotPlug = new LunHotPlug(v.core, v.faults, v.kernel, v.runtimeMetrics);
        PortalLimits portalLimits = limits.portalLimits();
        IscsiMetrics iscsiMetrics = new IscsiMetrics(v.meters, dataPath);
        v.targets().forEach(iscsiMetrics::targetAdded);
        v.sessions = new SessionRegistry(v.core, portalLimits.maxSessions(), portalLimits.maxSessionsPerTarget(),
                v.limitEvents, iscsiMetrics);
        Catalog catalog = new Catalog(v.targets(), () -> portalAddresses(v));
        AuthenticationPolicy discovery = v.config.discoveryChap() == null ? AuthenticationPolicy.none()
                : authentication(v.config.discoveryChap(), "discoveryChap");
        TargetPolicy policy = TargetPolicy.builder().textLimits(limits.textLimits()).build();
        PortalContext portal = new PortalContext(v.sessions, catalog, policy, auth::get, discovery,
                TimeUnit.SECONDS.toMillis(v.config.nopInIntervalSeconds()),
                TimeUnit.SECONDS.toMillis(v.config.nopInTimeoutSeconds()), limits.loginTimeoutMillis(), portalLimits,
                v.limitEvents, v.logins = new LoginsInProgress(portalLimits.maxLoginsInProgress(),
                        portalLimits.maxLoginsInProgressPerPortal(), v.limitEvents), v.kernel::nanoTime,
                v.sim == null ? java.security.SecureRandom::new : v.sim::secureRandom, v.kernel.trace());
        if (v.sim == null) {
            v.server = IscsiServer.bind(v.kernel, portal, v.config.portals());
            LOG.info("vHBA serving {} target(s) on {}", v.deployed.size(), v.server.addresses());
        } else {
            v.server = v.sim.network(v, new io.vhba.emulator.iscsi.sim.SimConnections(v.kernel, portal), v.config.portals());
            LOG.info("vHBA {} {} target(s) deterministically (seed {}, {}){}", v.sim.mode == Simulation.Mode.LIVE
                    ? "serving" : "simulating", v.deployed.size(), v.sim.scheduler.seed(), v.sim.scheduler.strategy(),
                    v.server == null ? "" : " on " + v.server.addresses());
        }
        List<String> open = new ArrayList<>();
        for (TargetRuntime rt : v.deployed) {
            if (rt.config.chap() == null && rt.target.acl().isOpen()) {
                open.add(rt.iqn());
            }
        }
        OpenTargets.warning(open, v.portals()).ifPresent(LOG::warn);
        if (http != null) {
            v.management = ManagementServer.start(ManagementApi.routes(v), http);
        }
        v.booted = true;
        if (v.sim != null) {
            v.sim.booted(v);
            v.sim.scheduler.leave(); // from here on the booting thread is outside the simulation
        }
    }

    /** The portals discovery answers name: the bound ones, or a replay's recorded ones, or none. */
    private static List<InetSocketAddress> portalAddresses(Vhba v) {
        if (v.server != null) {
            return v.server.addresses();
        }
        List<InetSocketAddress> l = new ArrayList<>();
        List<String> recorded = v.sim == null || v.sim.recordedPortals() == null ? List.of("127.0.0.1:3260")
                : v.sim.recordedPortals();
        for (String p : recorded) {
            int colon = p.lastIndexOf(':');
            l.add(new InetSocketAddress(p.substring(0, colon).replace("[", "").replace("]", ""),
                    Integer.parseInt(p.substring(colon + 1))));
        }
        return l;
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
     * Waits for an adapter start. The engine's start watchdog ends every start-up callback within the start
     * timeout (FindAdapter, HwInitialize, the passive routine, each bus scan command), so this only backs it up.
     */
    private static Adapter await(Vhba v, java.util.concurrent.CompletableFuture<Adapter> f, String miniport, String name) {
        if (v.kernel.scheduler() != null) {
            try {
                return v.kernel.threads().join(f); // a scheduler wait: the processors start it meanwhile
            } catch (java.util.concurrent.CompletionException e) {
                throw new ConfigException("miniport " + miniport + ": adapter " + name + " did not start: "
                        + e.getCause().getMessage());
            }
        }
        long backstop = 4L * v.config.startTimeoutSeconds() + 30;
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
}
