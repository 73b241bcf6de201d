package io.vhba.emulator.runtime;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.pause.NoPauseDetector;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.vhba.emulator.scsi.core.ScsiTarget;
import io.vhba.emulator.scsi.core.TargetLun;
import io.vhba.emulator.scsi.disk.DiskLogicalUnit;
import io.vhba.emulator.storport.Adapter;
import io.vhba.emulator.storport.PortLogicalUnit;
import java.lang.management.ManagementFactory;

/**
 * The meters the runtime registers as it assembles the layers: the JVM's (Micrometer's binders),
 * each adapter's recovery counters ({@link RecoveryMeters}), and what only the assembly knows,
 * which LUN of which target an engine logical unit serves:
 * {@code vhba.lun.outstanding.commands{target,lun,adapter}}, the requests the port holds for the LUN
 * (with the miniport or waiting in its queue), read at scrape time.
 */
final class RuntimeMetrics implements AutoCloseable {
    private final MeterRegistry registry;
    private final JvmGcMetrics gc = new JvmGcMetrics();

    /**
     * Registry-wide settings, before any meter is registered: no pause detector (it would run LatencyUtils'
     * thread for timers that need none), and two of Micrometer's JVM names that Prometheus conventions (and
     * {@code promtool check metrics}) reject: {@code process_cpu_time_ns_total} (an abbreviated unit) is replaced
     * by the conventional {@code process_cpu_seconds_total}, and {@code system_cpu_count} (a {@code _count}
     * suffix outside a histogram) becomes {@code system_cpus}.
     */
    static void configure(MeterRegistry registry) {
        registry.config().pauseDetector(new NoPauseDetector())
                .meterFilter(MeterFilter.deny(id -> id.getName().equals("process.cpu.time")))
                .meterFilter(new MeterFilter() {
                    @Override
                    public Meter.Id map(Meter.Id id) {
                        return id.getName().equals("system.cpu.count") ? id.withName("system.cpus") : id;
                    }
                });
    }

    RuntimeMetrics(MeterRegistry registry) {
        this.registry = registry;
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            FunctionCounter.builder("process.cpu", os, b -> b.getProcessCpuTime() / 1e9).baseUnit("seconds")
                    .description("CPU time the JVM process used").register(registry);
        }
    }

    void adapterStarted(Adapter adapter) {
        RecoveryMeters.register(registry, adapter);
    }

    /** {@code lun} of {@code target} is served by {@code adapter}'s logical unit {@code lun.port()}. */
    void lunMapped(ScsiTarget target, TargetLun lun, Adapter adapter) {
        Gauge.builder("vhba.lun.outstanding.commands", lun.port(), RuntimeMetrics::outstanding)
                .description("Commands the port holds for the LUN: with the miniport or queued")
                .tags("target", target.name(), "lun", Integer.toString(lun.lun()), "adapter", adapter.name())
                .register(registry);
    }

    /** A disk now serves {@code lun} of {@code target}: what the bound on its held EXTENDED COPY results dropped is counted. */
    void diskAttached(String target, int lun, DiskLogicalUnit disk) {
        FunctionCounter.builder("vhba.scsi.copy.results.dropped", disk, DiskLogicalUnit::heldCopyResultsDropped)
                .description("EXTENDED COPY results the per-LU bound dropped before RECEIVE COPY RESULTS read them")
                .tags("target", target, "lun", Integer.toString(lun)).register(registry);
    }

    /** The disk of {@code lun} of {@code target} is gone (hot removal): so is its counter. */
    void diskDetached(String target, int lun) {
        io.micrometer.core.instrument.Meter m = registry.find("vhba.scsi.copy.results.dropped")
                .tags("target", target, "lun", Integer.toString(lun)).functionCounter();
        if (m != null) {
            registry.remove(m);
        }
    }

    /** {@code lun} was taken out of {@code target} (hot removal): its gauge goes with it. */
    void lunUnmapped(ScsiTarget target, TargetLun lun, Adapter adapter) {
        io.micrometer.core.instrument.Meter m = registry.find("vhba.lun.outstanding.commands")
                .tags("target", target.name(), "lun", Integer.toString(lun.lun()), "adapter", adapter.name()).gauge();
        if (m != null) {
            registry.remove(m);
        }
    }

    private static double outstanding(PortLogicalUnit u) {
        return u.outstanding() + u.pendingCount();
    }

    /** Stops the GC notification listener. */
    @Override
    public void close() {
        gc.close();
    }
}
