package io.vhba.emulator.storport;

import java.util.concurrent.atomic.LongAdder;

/** Counters of the port's error recovery and link events on one adapter, for metrics and tests. */
public final class RecoveryCounters {
    final LongAdder timeouts = new LongAdder();
    final LongAdder logicalUnitResets = new LongAdder();
    final LongAdder deviceResets = new LongAdder();
    final LongAdder busResets = new LongAdder();
    final LongAdder completedByPortAfterReset = new LongAdder();
    final LongAdder linkDowns = new LongAdder();
    final LongAdder linkUps = new LongAdder();
    final LongAdder busChanges = new LongAdder();
    final LongAdder resetsDetected = new LongAdder();
    final LongAdder injectedCompletions = new LongAdder();

    /** Requests that outlived their TimeOutValue. */
    public long timeouts() { return timeouts.sum(); }
    /** SRB_FUNCTION_RESET_LOGICAL_UNIT requests the timeout escalation issued. */
    public long logicalUnitResets() { return logicalUnitResets.sum(); }
    /** SRB_FUNCTION_RESET_DEVICE requests the timeout escalation issued. */
    public long deviceResets() { return deviceResets.sum(); }
    /** HwStorResetBus calls (escalation or requested). */
    public long busResets() { return busResets.sum(); }
    /** Requests the miniport still held after HwStorResetBus, completed by the port with SRB_STATUS_BUS_RESET. */
    public long completedByPortAfterReset() { return completedByPortAfterReset.sum(); }
    public long linkDowns() { return linkDowns.sum(); }
    public long linkUps() { return linkUps.sum(); }
    /** BusChangeDetected notifications (each one a rescan). */
    public long busChanges() { return busChanges.sum(); }
    /** ResetDetected notifications. */
    public long resetsDetected() { return resetsDetected.sum(); }
    /** Requests a {@link StartIoInterceptor} answered for the miniport. */
    public long injectedCompletions() { return injectedCompletions.sum(); }
}
