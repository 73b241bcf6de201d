package io.vhba.emulator.fault;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vhba.emulator.kernel.Kernel;
import io.vhba.emulator.platform.DmaInterceptor;
import io.vhba.emulator.platform.InterruptInterceptor;
import io.vhba.emulator.platform.PciDevice;
import io.vhba.emulator.storport.Adapter;
import io.vhba.emulator.storport.StartIoInterceptor;
import io.vhba.emulator.storport.StartIoInterceptor.InjectedCompletion;
import io.vhba.emulator.storport.StorportEngine;
import io.vhba.hw.DmaFault;
import io.vhba.hw.ScsiLogicalUnit;
import io.vhba.miniport.SrbFunction;
import io.vhba.miniport.SrbStatus;
import io.vhba.miniport.scsi.ScsiStatus;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fault injection on a running emulator (ARCHITECTURE.md, "Fault injection"). The runtime
 * wires it in at every layer where faults apply: it wraps each logical unit a controller runs
 * commands on ({@link #wrap}), sets the interrupt and DMA interceptors of each device
 * ({@link #attachDevice}) and the engine's StartIo interceptor ({@link #attachEngine}). Faults
 * are then installed and removed at any time with {@link #inject} and {@link #remove}.
 */
public final class FaultInjector {
    private static final Logger LOG = LoggerFactory.getLogger(FaultInjector.class);

    private volatile ActiveFault[] faults = new ActiveFault[0];
    private volatile Sequencer sequencer;

    /**
     * Routes a change made from outside a deterministic run through its scheduler, so that it enters at a scheduling
     * point and is recorded there (docs/architecture.md, "Deterministic mode"). Without one, changes apply at once.
     */
    public interface Sequencer {
        /** Applies {@code change} inside the run and returns its result; {@code kind} and {@code argument} are recorded. */
        <T> T apply(String kind, String argument, java.util.function.Supplier<T> change);
    }

    /** Kinds of recorded changes. */
    public static final String INJECT = "fault-inject";
    public static final String REMOVE = "fault-remove";
    public static final String CLEAR = "fault-clear";

    public void setSequencer(Sequencer sequencer) {
        this.sequencer = sequencer;
    }

    /** Applies a recorded change (a replay): {@link #INJECT} with a spec, {@link #REMOVE} with the fault's index. */
    public void replay(String kind, String argument) {
        switch (kind) {
            case INJECT -> install(FaultSpecParser.parse(argument));
            case REMOVE -> removeNow(Integer.parseInt(argument));
            case CLEAR -> clearNow();
            default -> throw new IllegalArgumentException("no recorded fault change '" + kind + "'");
        }
    }
    private final Map<String, Set<Integer>> lunsByAdapter = new ConcurrentHashMap<>();
    private volatile Kernel kernel;
    private final java.util.concurrent.atomic.AtomicLong nextId = new java.util.concurrent.atomic.AtomicLong(1);
    /** {@code vhba.faults.fired{kind}}, one counter per kind from the start; empty without a registry. */
    private final Map<FaultKind, Counter> firings = new EnumMap<>(FaultKind.class);

    /** An injector whose firings are logged and counted per fault only ({@link ActiveFault#fired()}). */
    public FaultInjector() {
    }

    /** An injector that also counts firings by kind in {@code meters}. */
    public FaultInjector(MeterRegistry meters) {
        for (FaultKind k : FaultKind.values()) {
            firings.put(k, Counter.builder("vhba.faults.fired").description("Injected faults that fired, by kind")
                    .tag("kind", k.cliName()).register(meters));
        }
    }

    /** The installed faults, in installation order. */
    public List<ActiveFault> active() {
        return List.of(faults);
    }

    ActiveFault[] faults() {
        return faults;
    }

    /** Parses {@code spec} ({@link FaultSpecParser#GRAMMAR}) and installs it. */
    public ActiveFault inject(String spec) {
        return inject(FaultSpecParser.parse(spec));
    }

    /**
     * Installs {@code spec}. A spec aimed at an adapter or LUN this emulator does not have is
     * refused with a {@link FaultSpecException}, rather than silently never firing.
     */
    public ActiveFault inject(FaultSpec spec) {
        FaultTarget t = spec.target();
        if (t.adapter() != null && !lunsByAdapter.containsKey(t.adapter())) {
            throw new FaultSpecException(spec.kind().cliName() + ": no adapter '" + t.adapter() + "'; adapters: "
                    + String.join(", ", new java.util.TreeSet<>(lunsByAdapter.keySet())));
        }
        if (t.lun() != null && lunsByAdapter.entrySet().stream()
                .noneMatch(e -> t.aimsAdapter(e.getKey()) && e.getValue().contains(t.lun()))) {
            throw new FaultSpecException(spec.kind().cliName() + ": no LUN " + t.lun()
                    + (t.adapter() == null ? "" : " on adapter " + t.adapter()));
        }
        Sequencer s = sequencer;
        return s == null ? install(spec) : s.apply(INJECT, spec.toGrammar(), () -> install(spec));
    }

    private ActiveFault install(FaultSpec spec) {
        ActiveFault f = new ActiveFault(nextId.getAndIncrement(), spec);
        synchronized (this) {
            List<ActiveFault> l = new ArrayList<>(List.of(faults));
            l.add(f);
            faults = l.toArray(new ActiveFault[0]);
        }
        LOG.info("fault #{} injected: {}", f.id(), spec);
        return f;
    }

    /** Removes an installed fault; false if it was not installed. */
    public boolean remove(ActiveFault f) {
        Sequencer s = sequencer;
        if (s == null) {
            return removeNow(f);
        }
        int index = List.of(faults).indexOf(f);
        return index >= 0 && s.apply(REMOVE, Integer.toString(index), () -> removeNow(f));
    }

    private synchronized boolean removeNow(ActiveFault f) {
        List<ActiveFault> l = new ArrayList<>(List.of(faults));
        boolean removed = l.remove(f);
        faults = l.toArray(new ActiveFault[0]);
        return removed;
    }

    private synchronized void removeNow(int index) {
        if (index >= 0 && index < faults.length) {
            removeNow(faults[index]);
        }
    }

    /** The installed fault with {@code id}, or null. */
    public ActiveFault find(long id) {
        for (ActiveFault f : faults) {
            if (f.id() == id) {
                return f;
            }
        }
        return null;
    }

    /** Removes the installed fault with {@code id}; false if none is installed with it. */
    public boolean remove(long id) {
        ActiveFault f = find(id);
        return f != null && remove(f);
    }

    /** Removes every installed fault; returns how many there were. */
    public int clear() {
        Sequencer s = sequencer;
        return s == null ? clearNow() : s.apply(CLEAR, "", this::clearNow);
    }

    private synchronized int clearNow() {
        int n = faults.length;
        faults = new ActiveFault[0];
        return n;
    }

    void fired(ActiveFault f, String where) {
        Counter c = firings.get(f.spec().kind());
        if (c != null) {
            c.increment();
        }
        LOG.info("fault {} fired on {} ({}, {} time(s))", f.spec().kind().cliName(), where, f.spec().trigger(), f.fired());
    }

    // ---- wiring -----------------------------------------------------------------------------

    /** The unit the controller of adapter {@code adapter} should run LUN {@code lun}'s commands on. */
    public ScsiLogicalUnit wrap(String adapter, int lun, ScsiLogicalUnit unit) {
        lunsByAdapter.computeIfAbsent(adapter, a -> ConcurrentHashMap.newKeySet()).add(lun);
        return new FaultyLogicalUnit(this, adapter, lun, unit);
    }

    /** LUN {@code lun} left adapter {@code adapter}: a spec aimed at it is refused from now on. Installed faults stay. */
    public void forget(String adapter, int lun) {
        Set<Integer> luns = lunsByAdapter.get(adapter);
        if (luns != null) {
            luns.remove(lun);
        }
    }

    /** Sets the interrupt and DMA interceptors of the device behind adapter {@code adapter}. */
    public void attachDevice(String adapter, PciDevice device, Kernel k) {
        this.kernel = k;
        lunsByAdapter.computeIfAbsent(adapter, a -> ConcurrentHashMap.newKeySet());
        device.deviceInterrupts().setInterceptor(interrupts(adapter));
        device.platformDma().setInterceptor(dma(adapter));
    }

    /** Lets port-layer faults and events act on the engine's adapters. */
    public void attachEngine(StorportEngine engine) {
        this.kernel = engine.kernel();
        engine.setStartIoInterceptor(startIo());
    }

    private InterruptInterceptor interrupts(String adapter) {
        return (messageId, delivery) -> {
            for (ActiveFault f : faults) {
                FaultKind k = f.spec().kind();
                if (k.layer() != FaultKind.Layer.INTERRUPT || !f.spec().target().aimsAdapter(adapter) || !f.fire()) {
                    continue;
                }
                fired(f, adapter + " message " + messageId);
                if (k == FaultKind.INTERRUPT_DROP) {
                    return false;
                }
                kernel.processor(0).executor().schedule(delivery, f.spec().delayMillis(), TimeUnit.MILLISECONDS);
                return true;
            }
            delivery.run();
            return true;
        };
    }

    private DmaInterceptor dma(String adapter) {
        return (physicalAddress, length, toHost) -> {
            for (ActiveFault f : faults) {
                FaultKind k = f.spec().kind();
                if (k.layer() != FaultKind.Layer.DMA || !f.spec().target().aimsAdapter(adapter) || !f.fire()) {
                    continue;
                }
                fired(f, String.format("%s DMA %s 0x%X+%d", adapter, toHost ? "to host" : "from host", physicalAddress, length));
                if (k == FaultKind.DMA_FAIL) {
                    throw new DmaFault(physicalAddress, length, "fault injection: dma-fail");
                }
                // the DMA takes longer: real time, or the virtual clock moving on with no scheduling point (the
                // device may hold its own monitor here)
                long nanos = TimeUnit.MILLISECONDS.toNanos(f.spec().delayMillis());
                if (kernel.scheduler() != null) {
                    kernel.clock().busy(nanos);
                } else {
                    java.util.concurrent.locks.LockSupport.parkNanos(nanos);
                }
            }
        };
    }

    private StartIoInterceptor startIo() {
        return srb -> {
            if (srb.portFunction() != SrbFunction.EXECUTE_SCSI) {
                return null;
            }
            Adapter a = srb.adapter();
            int lun = srb.portLogicalUnit().lun();
            InjectedCompletion answer = null;
            for (ActiveFault f : faults) {
                FaultKind k = f.spec().kind();
                if (k.layer() == FaultKind.Layer.EVENT) {
                    if (f.spec().target().aimsAdapter(a.name()) && f.fire()) {
                        fired(f, a.name());
                        raise(f, a);
                    }
                } else if (answer == null && k.layer() == FaultKind.Layer.PORT && f.spec().target().aims(a.name(), lun) && f.fire()) {
                    fired(f, a.name() + " lun " + lun);
                    answer = k == FaultKind.BUSY ? new InjectedCompletion(SrbStatus.BUSY, 0)
                            : new InjectedCompletion(SrbStatus.ERROR, ScsiStatus.TASK_SET_FULL.code());
                }
            }
            return answer;
        };
    }

    /** An adapter event, raised off the request path (the port posts its work to processor 0). */
    private void raise(ActiveFault f, Adapter a) {
        switch (f.spec().kind()) {
            case LINK_DOWN -> {
                a.linkDown();
                if (f.spec().durationMillis() > 0) {
                    kernel.processor(0).executor().schedule(a::linkUp, f.spec().durationMillis(), TimeUnit.MILLISECONDS);
                }
            }
            case LINK_UP -> a.linkUp();
            case BUS_RESET -> a.resetBus("fault injection: bus-reset");
            default -> throw new IllegalStateException(f.spec().kind() + " is not an event");
        }
    }
}
