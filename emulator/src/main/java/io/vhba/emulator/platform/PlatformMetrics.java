package io.vhba.emulator.platform;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.BaseUnits;

/**
 * The simulated platform's meters, read at scrape time (nothing on the data path):
 * {@code vhba.host.memory.used} (pages allocated to buffers, extensions and SRB slabs),
 * {@code vhba.host.memory.reserved} (1 MiB chunks taken from the JVM's direct memory) and
 * {@code vhba.host.memory.capacity} (the cap, {@code hostMemory}), all in bytes.
 */
public final class PlatformMetrics {
    private PlatformMetrics() {}

    public static void bind(MeterRegistry registry, HostMemory memory) {
        Gauge.builder("vhba.host.memory.used", memory, m -> (double) m.allocatedPages() * HostMemory.PAGE_SIZE)
                .baseUnit(BaseUnits.BYTES).description("Simulated host memory in use").register(registry);
        Gauge.builder("vhba.host.memory.reserved", memory, m -> (double) m.reservedBytes())
                .baseUnit(BaseUnits.BYTES).description("Simulated host memory taken from the JVM (whole chunks)")
                .register(registry);
        Gauge.builder("vhba.host.memory.capacity", memory, m -> (double) m.capacityBytes())
                .baseUnit(BaseUnits.BYTES).description("The most simulated host memory that may be allocated")
                .register(registry);
    }
}
