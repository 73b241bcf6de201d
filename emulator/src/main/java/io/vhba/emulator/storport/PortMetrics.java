package io.vhba.emulator.storport;

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
        meters(e).counter("vhba.storport.notifications", "adapter", a.name(), "type", type).increment();
    }

    static void loggedError(StorportEngine e, Adapter a, int errorCode) {
        meters(e).counter("vhba.storport.logged.errors", "adapter", a.name(), "error",
                String.format("0x%08X", errorCode)).increment();
    }

    static void debugPrint(StorportEngine e, String driver, int level) {
        meters(e).counter("vhba.storport.debug.prints", "driver", driver, "level", Integer.toString(level)).increment();
    }

    static void pool(StorportEngine e, Adapter a, long allocatedDelta) {
        String name = allocatedDelta >= 0 ? "vhba.storport.pool.allocated.bytes" : "vhba.storport.pool.freed.bytes";
        meters(e).counter(name, "adapter", a.name()).increment(Math.abs(allocatedDelta));
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
