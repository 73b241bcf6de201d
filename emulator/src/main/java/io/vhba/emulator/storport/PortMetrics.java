package io.vhba.emulator.storport;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The engine's Micrometer meters for miniport-facing routines (the same registry the verifier
 * counts bug checks in, and that {@code Vhba.meters()} exposes):
 * <ul>
 *   <li>{@code vhba.storport.notifications{adapter,type}}: StorPortNotification calls by type;</li>
 *   <li>{@code vhba.storport.logged.errors{adapter,error}}: StorPortLogError, by error code;</li>
 *   <li>{@code vhba.storport.debug.prints{driver,level}}: StorPortDebugPrint, by level;</li>
 *   <li>{@code vhba.storport.pool.allocated.bytes{adapter}} and {@code vhba.storport.pool.freed.bytes{adapter}}:
 *       StorPortAllocatePool / StorPortFreePool totals (their difference is what the miniport holds);</li>
 *   <li>{@code vhba.storport.pool.freed.dropped{adapter}}: freed-buffer records forgotten to keep the double-free
 *       record bounded ({@link PoolAllocations#FREED_RECORD_CAPACITY});</li>
 *   <li>{@code vhba.storport.eventlog.dropped{adapter}}: port event log entries pushed out of its ring
 *       ({@link PortEventLog#CAPACITY}).</li>
 * </ul>
 */
final class PortMetrics {
    private PortMetrics() {}

    static void notification(StorportEngine e, Adapter a, String type) {
        Counter.builder("vhba.storport.notifications").description("StorPortNotification calls, by type")
                .tags("adapter", a.name(), "type", type).register(meters(e)).increment();
    }

    static void loggedError(StorportEngine e, Adapter a, int errorCode) {
        Counter.builder("vhba.storport.logged.errors").description("StorPortLogError calls, by error code")
                .tags("adapter", a.name(), "error", String.format("0x%08X", errorCode)).register(meters(e)).increment();
    }

    static void debugPrint(StorportEngine e, String driver, int level) {
        Counter.builder("vhba.storport.debug.prints").description("StorPortDebugPrint calls, by level")
                .tags("driver", driver, "level", Integer.toString(level)).register(meters(e)).increment();
    }

    static void pool(StorportEngine e, Adapter a, long allocatedDelta) {
        boolean allocated = allocatedDelta >= 0;
        Counter.builder(allocated ? "vhba.storport.pool.allocated.bytes" : "vhba.storport.pool.freed.bytes")
                .description(allocated ? "StorPortAllocatePool bytes" : "StorPortFreePool bytes").tag("adapter", a.name())
                .register(meters(e)).increment(Math.abs(allocatedDelta));
    }

    static void poolFreedRecordDropped(StorportEngine e, Adapter a) {
        meters(e).counter("vhba.storport.pool.freed.dropped", "adapter", a.name()).increment();
    }

    static void eventLogDropped(StorportEngine e, Adapter a) {
        meters(e).counter("vhba.storport.eventlog.dropped", "adapter", a.name()).increment();
    }

    private static MeterRegistry meters(StorportEngine e) {
        return e.verifier().meters();
    }
}
