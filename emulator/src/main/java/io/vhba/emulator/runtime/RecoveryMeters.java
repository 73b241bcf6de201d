package io.vhba.emulator.runtime;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vhba.emulator.storport.Adapter;
import io.vhba.emulator.storport.RecoveryCounters;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/** Publishes an adapter's error-recovery counters as Micrometer counters tagged with the adapter name. */
final class RecoveryMeters {
    private static final Map<String, ToDoubleFunction<RecoveryCounters>> COUNTERS = Map.of(
            "vhba.storport.timeouts", RecoveryCounters::timeouts,
            "vhba.storport.resets.logical.unit", RecoveryCounters::logicalUnitResets,
            "vhba.storport.resets.device", RecoveryCounters::deviceResets,
            "vhba.storport.resets.bus", RecoveryCounters::busResets,
            "vhba.storport.resets.port.completed", RecoveryCounters::completedByPortAfterReset,
            "vhba.storport.link.down", RecoveryCounters::linkDowns,
            "vhba.storport.bus.changes", RecoveryCounters::busChanges,
            "vhba.storport.resets.detected", RecoveryCounters::resetsDetected,
            "vhba.storport.injected.completions", RecoveryCounters::injectedCompletions);

    private RecoveryMeters() {}

    static void register(MeterRegistry meters, Adapter adapter) {
        RecoveryCounters c = adapter.recovery();
        COUNTERS.forEach((name, f) -> FunctionCounter.builder(name, c, f).tag("adapter", adapter.name()).register(meters));
    }
}
