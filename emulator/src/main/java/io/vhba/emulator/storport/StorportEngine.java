package io.vhba.emulator.storport;

import io.vhba.emulator.kernel.Kernel;
import io.vhba.emulator.platform.HostMemory;
import io.vhba.emulator.platform.MmioBus;
import io.vhba.emulator.platform.PciDevice;
import io.vhba.emulator.verifier.StorportVerifier;
import io.vhba.emulator.verifier.VerifierRule;
import io.vhba.miniport.DriverObject;
import io.vhba.miniport.MiniportDriver;
import io.vhba.miniport.NtStatus;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The port driver: loads miniports ({@code DriverEntry} -> {@code StorPortInitialize}) and
 * starts adapters on simulated devices in Storport's order (STORPORT.md, "Start-up order").
 */
public final class StorportEngine {
    private final Kernel kernel;
    private final HostMemory hostMemory;
    private final MmioBus mmio;
    private final StorportVerifier verifier;
    private final CompletionQueues completions;
    private final List<Adapter> adapters = new CopyOnWriteArrayList<>();
    private final EngineSettings settings;
    private final StorportMetrics metrics;
    private volatile UnitAttentionListener unitAttentionListener = UnitAttentionListener.NONE;
    private volatile StartIoInterceptor startIoInterceptor = StartIoInterceptor.NONE;
    /** Storport's port timer period; 0 leaves ticking to tests. */
    private volatile long portTickMillis = 1000;
    /** How long each start-up callback (DriverEntry, FindAdapter, ..., each bus scan command) may take. */
    private volatile long startTimeoutMillis = 10_000;

    /** An engine that records its request-path meters in the verifier's registry. */
    public StorportEngine(Kernel kernel, HostMemory hostMemory, MmioBus mmio, StorportVerifier verifier,
                          EngineSettings settings) {
        this(kernel, hostMemory, mmio, verifier, settings, new StorportMetrics(verifier.meters(), true));
    }

    public StorportEngine(Kernel kernel, HostMemory hostMemory, MmioBus mmio, StorportVerifier verifier,
                          EngineSettings settings, StorportMetrics metrics) {
        this.metrics = metrics;
        this.kernel = kernel;
        this.hostMemory = hostMemory;
        this.mmio = mmio;
        this.verifier = verifier;
        this.settings = settings;
        this.completions = new CompletionQueues(kernel);
        kernel.setViolationSink(verifier);
        verifier.addListener(this::bugCheckedElsewhere);
    }

    /**
     * The DPC watchdog reports from its own thread, so no {@code Adapter.call} unwinds and stops the adapter:
     * the adapter the stuck processor was running for is stopped here, as the policy asks for any bug check.
     * Its processor stays stuck (see {@link Kernel}); the adapter's requests return, and the others serve on.
     */
    private void bugCheckedElsewhere(io.vhba.emulator.verifier.BugCheck b) {
        if (b.rule() != VerifierRule.DPC_WATCHDOG || verifier.policy() == io.vhba.emulator.verifier.VerifierPolicy.LOG_ONLY) {
            return;
        }
        for (Adapter a : adapters) {
            if (a.name().equals(b.adapter())) {
                a.fail("bug check: " + b.summary());
            }
        }
    }

    public Kernel kernel() {
        return kernel;
    }

    public HostMemory hostMemory() {
        return hostMemory;
    }

    public MmioBus mmio() {
        return mmio;
    }

    public StorportVerifier verifier() {
        return verifier;
    }

    public EngineSettings settings() {
        return settings;
    }

    StorportMetrics metrics() {
        return metrics;
    }

    /** Where resets and rescans report the unit attentions they establish (the runtime wires the SCSI target core). */
    public void setUnitAttentionListener(UnitAttentionListener l) {
        this.unitAttentionListener = l == null ? UnitAttentionListener.NONE : l;
    }

    UnitAttentionListener unitAttentionListener() {
        return unitAttentionListener;
    }

    /** Lets fault injection answer I/O requests for the miniport (busy, queue full). */
    public void setStartIoInterceptor(StartIoInterceptor i) {
        this.startIoInterceptor = i == null ? StartIoInterceptor.NONE : i;
    }

    StartIoInterceptor startIoInterceptor() {
        return startIoInterceptor;
    }

    /**
     * The port timer period for adapters started afterwards (Storport ticks once a second).
     * 0 stops the automatic tick, for tests that drive the clock themselves.
     */
    public void setPortTickMillis(long millis) {
        if (millis < 0) {
            throw new IllegalArgumentException("port tick must be >= 0 ms, got " + millis);
        }
        this.portTickMillis = millis;
    }

    /** How long each start-up callback may run before the start fails with ROUTINE_TOO_LONG (default 10 s). */
    public void setStartTimeoutMillis(long millis) {
        if (millis <= 0) {
            throw new IllegalArgumentException("start timeout must be > 0 ms, got " + millis);
        }
        this.startTimeoutMillis = millis;
    }

    long startTimeoutMillis() {
        return startTimeoutMillis;
    }

    CompletionQueues completions() {
        return completions;
    }

    public List<Adapter> adapters() {
        return List.copyOf(adapters);
    }

    /**
     * Loads {@code driver}: runs its DriverEntry, which must call {@code StorPortInitialize}. DriverEntry runs at
     * PASSIVE_LEVEL on a thread of its own, so that one that never returns is reported (ROUTINE_TOO_LONG, with
     * its stack) after the start timeout instead of hanging the caller; one that throws is MINIPORT_EXCEPTION.
     *
     * @throws DriverLoadException with the NTSTATUS DriverEntry returned when it failed
     */
    public PortServices load(MiniportDriver driver) {
        PortServices services = new PortServices(this, driver);
        DriverObject obj = new DriverObject(driver.name());
        String routine = driver.name() + " DriverEntry";
        java.util.concurrent.FutureTask<Integer> entry = new java.util.concurrent.FutureTask<>(() -> driver.driverEntry(
                services, obj, "\\Registry\\Machine\\System\\CurrentControlSet\\Services\\" + driver.name()));
        Thread t = new Thread(entry, routine);
        t.setDaemon(true); // one that never returns must not keep the process alive
        t.start();
        int status;
        try {
            status = entry.get(startTimeoutMillis, java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            String detail = "DriverEntry threw " + e.getCause();
            if (!(e.getCause() instanceof io.vhba.emulator.verifier.BugCheckException)) { // else already reported
                reportQuietly(VerifierRule.MINIPORT_EXCEPTION, routine, 0, 0, detail, null);
            }
            throw new DriverLoadException("DriverEntry of " + driver.name() + " threw " + e.getCause(),
                    NtStatus.STATUS_UNSUCCESSFUL);
        } catch (java.util.concurrent.TimeoutException e) {
            String detail = "DriverEntry has not returned after " + startTimeoutMillis + " ms; " + t.getName() + " is still in it";
            reportQuietly(VerifierRule.ROUTINE_TOO_LONG, routine, startTimeoutMillis, startTimeoutMillis, detail, t);
            throw new DriverLoadException("DriverEntry of " + driver.name() + " has not returned after " + startTimeoutMillis
                    + " ms; " + t.getName() + " is still in it", NtStatus.STATUS_UNSUCCESSFUL);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DriverLoadException(driver.name() + ": interrupted waiting for DriverEntry", NtStatus.STATUS_UNSUCCESSFUL);
        }
        if (!NtStatus.isSuccess(status) || services.registration() == null) {
            throw new DriverLoadException("DriverEntry of " + driver.name() + " failed",
                    NtStatus.isSuccess(status) ? NtStatus.STATUS_UNSUCCESSFUL : status);
        }
        return services;
    }

    /** A finding about a routine that runs outside any adapter (DriverEntry): recorded, never rethrown here. */
    private void reportQuietly(VerifierRule rule, String routine, long p2, long p3, String detail, Thread involved) {
        io.vhba.emulator.kernel.KThreadState st = io.vhba.emulator.kernel.KThreadState.current();
        String prev = st.enterRoutine(routine);
        try {
            verifier.report(rule, null, p2, p3, 0, detail, involved);
        } catch (io.vhba.emulator.verifier.BugCheckException recorded) {
            // the caller fails the load with its own exception
        } finally {
            st.exitRoutine(prev);
        }
    }

    /**
     * Starts an adapter of a loaded driver on {@code device} (null for a virtual miniport):
     * FindAdapter, interrupt connection, HwInitialize, passive initialisation, bus scan. The
     * future completes once the bus scan has found the logical units.
     */
    public CompletableFuture<Adapter> startAdapter(PortServices services, PciDevice device, String name) {
        DriverRegistration reg = services.registration();
        if (reg.data().isVirtual() != (device == null)) {
            throw new IllegalArgumentException(reg.data().isVirtual()
                    ? "a virtual miniport takes no device" : "a physical miniport needs a device");
        }
        Object ext = reg.data().deviceExtension().get();
        Adapter a = new Adapter(this, name, reg, ext, device);
        adapters.add(a);
        services.bind(ext, a);
        a.timeouts.start(portTickMillis);
        return new AdapterStart(a).run();
    }

    /**
     * Starts an adapter of a loaded virtual miniport ({@code VIRTUAL_HW_FIND_ADAPTER}): no PCI
     * device, no access ranges, no interrupts, no uncached extension. Its storage is
     * {@code units}: HwStorFindAdapter receives them as BusInformation, an
     * {@link io.vhba.hw.ScsiBus} the miniport executes commands on (a virtual miniport's
     * "hardware" is whatever it reaches in software; here, the configured disks).
     */
    public CompletableFuture<Adapter> startVirtualAdapter(PortServices services, List<io.vhba.hw.AttachedUnit> units,
                                                          String name) {
        return startVirtualAdapter(services, new io.vhba.hw.ScsiBus(units), name);
    }

    /**
     * As {@link #startVirtualAdapter(PortServices, List, String)}, on a bus the caller keeps: units it attaches or
     * detaches later are what the miniport reaches, and a rescan ({@link Adapter#busChangeDetected}) reports them.
     */
    public CompletableFuture<Adapter> startVirtualAdapter(PortServices services, io.vhba.hw.ScsiBus bus, String name) {
        DriverRegistration reg = services.registration();
        if (!reg.data().isVirtual()) {
            throw new IllegalArgumentException(services.driver().name() + " is not a virtual miniport (HwInitializationData.virtualBuilder)");
        }
        Object ext = reg.data().deviceExtension().get();
        Adapter a = new Adapter(this, name, reg, ext, null);
        a.busInformation = bus;
        adapters.add(a);
        services.bind(ext, a);
        return new AdapterStart(a).run();
    }

    /** Stops {@code adapter}: see {@link Adapter#stop()}. */
    public void stopAdapter(Adapter adapter) {
        adapter.stop();
    }

    /** The adapter whose device extension is {@code ext}, or null. */
    Adapter adapterOf(Object ext) {
        for (Adapter a : adapters) {
            if (a.deviceExtension == ext) {
                return a;
            }
        }
        return null;
    }
}
