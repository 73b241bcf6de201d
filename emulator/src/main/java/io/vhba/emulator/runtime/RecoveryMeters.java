package io.vhba.emulator.runtime;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vhba.emulator.storport.Adapter;
import io.vhba.emulator.storport.RecoveryCounters;
import java.util.List;
import java.util.function.ToDoubleFunction;

/** Publishes an adapter's error-recovery counters as Micrometer counters tagged with the adapter name. */
final class RecoveryMeters {
    /** Name, help text and the counter it reads; in a fixed order. */
    private record Meter(String name, String description, ToDoubleFunction<RecoveryCounters> read) {}

    private static final List<Meter> COUNTERS = List.of(
            new Meter("vhba.storport.timeouts", "Requests that outlived their SRB TimeOutValue", RecoveryCounters::timeouts),
            new Meter("vhba.storport.resets.logical.unit", "LUN resets the timeout escalation issued",
                    RecoveryCounters::logicalUnitResets),
            new Meter("vhba.storport.resets.device", "Device resets the timeout escalation issued",
                    RecoveryCounters::deviceResets),
            new Meter("vhba.storport.resets.bus", "HwStorResetBus calls", RecoveryCounters::busResets),
            new Meter("vhba.storport.resets.port.completed",
                    "Requests the miniport still held after a bus reset, completed by the port",
                    RecoveryCounters::completedByPortAfterReset),
            new Meter("vhba.storport.link.down", "LinkDown notifications", RecoveryCounters::linkDowns),
            new Meter("vhba.storport.bus.changes", "BusChangeDetected notifications (each a rescan)",
                    RecoveryCounters::busChanges),
            new Meter("vhba.storport.resets.detected", "ResetDetected notifications", RecoveryCounters::resetsDetected),
            new Meter("vhba.storport.injected.completions", "Requests fault injection answered for the miniport",
                    RecoveryCounters::injectedCompletions));

    private RecoveryMeters() {}

    static void register(MeterRegistry meters, Adapter adapter) {
        RecoveryCounters c = adapter.recovery();
        for (Meter m : COUNTERS) {
            FunctionCounter.builder(m.name(), c, m.read()).description(m.description()).tag("adapter", adapter.name())
                    .register(meters);
        }
    }
}
