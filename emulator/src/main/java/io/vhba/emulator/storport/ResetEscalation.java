package io.vhba.emulator.storport;

import io.vhba.emulator.kernel.Irql;
import io.vhba.emulator.kernel.KSpinLock;
import io.vhba.miniport.HwInitializationData;
import io.vhba.miniport.SrbFunction;
import io.vhba.miniport.SrbStatus;
import io.vhba.miniport.SynchronizationModel;
import io.vhba.miniport.scsi.AdditionalSense;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the port does when requests time out (STORPORT.md, "Timeouts and resets"): it logs the
 * event (Windows' event 129, "Reset to device ... was issued") and escalates, LUN reset, then
 * device reset, then bus reset, until the timed-out requests are back.
 *
 * <p>A step succeeds when its reset request has returned and every timed-out request is back;
 * it gets {@value #STEP_TICKS} port ticks for that, then the next step starts. The bus reset
 * pauses every queue, calls HwStorResetBus at DISPATCH_LEVEL under the StartIo lock (plus the
 * interrupt lock in half duplex), completes with SRB_STATUS_BUS_RESET whatever the miniport
 * still holds, and resumes. Each reset establishes the unit attention SAM-5 6.3 gives it
 * through the {@link UnitAttentionListener}: BUS DEVICE RESET FUNCTION OCCURRED (29/03) for a
 * LUN or device reset, SCSI BUS RESET OCCURRED (29/02) for a bus reset.
 *
 * <p>All state is confined to processor 0: the port timer ticks there, and completions that
 * matter are posted there.
 */
final class ResetEscalation {
    private static final Logger LOG = LoggerFactory.getLogger(ResetEscalation.class);
    /** Port ticks a step has to bring the timed-out requests back before the next step. */
    static final int STEP_TICKS = 2;

    /** The escalation ladder: the request each step sends, and the unit attention it establishes (SAM-5 6.3). */
    enum Step {
        LOGICAL_UNIT_RESET("LUN reset", SrbFunction.RESET_LOGICAL_UNIT, AdditionalSense.BUS_DEVICE_RESET_FUNCTION_OCCURRED),
        DEVICE_RESET("device reset", SrbFunction.RESET_DEVICE, AdditionalSense.BUS_DEVICE_RESET_FUNCTION_OCCURRED),
        BUS_RESET("bus reset", null, AdditionalSense.SCSI_BUS_RESET_OCCURRED);

        final String label;
        final SrbFunction function;
        final AdditionalSense unitAttention;

        Step(String label, SrbFunction function, AdditionalSense unitAttention) {
            this.label = label;
            this.function = function;
            this.unitAttention = unitAttention;
        }

        Step next() {
            return values()[Math.min(ordinal() + 1, values().length - 1)];
        }
    }

    private final Adapter a;
    private Step step;
    private PortLogicalUnit unit;
    private int stepTicks;
    private boolean resetOutstanding;
    private int serial;
    /** Timed-out requests not yet back; removed on the completion path (any processor). */
    private final Set<EngineSrb> victims = ConcurrentHashMap.newKeySet();

    ResetEscalation(Adapter adapter) {
        this.a = adapter;
    }

    boolean active() {
        return step != null;
    }

    /** From the port timer: {@code expired} outlived their TimeOutValue. Processor 0. */
    void timedOut(List<EngineSrb> expired) {
        List<EngineSrb> marked = new ArrayList<>();
        for (EngineSrb s : expired) {
            // Marked under the LU's monitor while still active, so the completion path (which
            // deactivates under the same monitor) either sees the mark or the SRB is not marked.
            synchronized (s.lu) {
                if (s.lu.isActive(s)) {
                    victims.add(s);
                    s.timedOut = true;
                    marked.add(s);
                }
            }
        }
        if (marked.isEmpty()) {
            return;
        }
        a.recovery.timeouts.add(marked.size());
        EngineSrb first = marked.get(0);
        unit = first.lu;
        LOG.warn("adapter {} target {} lun {}: SRB tag {} (opcode 0x{}) timed out after {} s{}; escalating to {}",
                a.name(), unit.targetId(), unit.lun(), first.queueTag, Integer.toHexString(first.cdb[0] & 0xFF),
                a.timeouts.timeoutSeconds(first), marked.size() > 1 ? " (with " + (marked.size() - 1) + " more)" : "",
                Step.LOGICAL_UNIT_RESET.label);
        start(Step.LOGICAL_UNIT_RESET);
    }

    /** From the port timer while a step runs. Processor 0. */
    void tick() {
        if (step == null || step == Step.BUS_RESET) {
            return;
        }
        if (--stepTicks > 0) {
            return;
        }
        Step next = step.next();
        LOG.warn("adapter {} target {} lun {}: {} did not bring back {} timed-out request(s); escalating to {}",
                a.name(), unit.targetId(), unit.lun(), step.label, victims.size(), next.label);
        start(next);
    }

    private void start(Step s) {
        step = s;
        int mySerial = ++serial;
        if (s == Step.BUS_RESET) {
            busReset();
            return;
        }
        (s == Step.LOGICAL_UNIT_RESET ? a.recovery.logicalUnitResets : a.recovery.deviceResets).increment();
        if (s == Step.LOGICAL_UNIT_RESET) {
            a.counters.lunResets.increment();
        }
        stepTicks = STEP_TICKS;
        resetOutstanding = true;
        unit.setPaused(true); // nothing new starts on the unit while it is being reset
        EngineSrb r = a.allocateSrb();
        r.prepareFunction(unit, s.function, null, a.engine.settings().defaultTimeoutSeconds(), done -> {
            done.recycle();
            post(() -> resetReturned(mySerial));
        }, null);
        a.issueBypass(r);
    }

    private void resetReturned(int forSerial) {
        if (forSerial != serial || step == null) {
            return; // a step already superseded
        }
        resetOutstanding = false;
        // The requests the reset returned may still be on their way (interrupt, DPC): one more tick at most.
        stepTicks = Math.min(stepTicks, 1);
        checkDone();
    }

    /** From the completion path (any processor): a timed-out request is back; it fails with SRB_STATUS_TIMEOUT unless it succeeded. */
    void victimReturned(EngineSrb srb) {
        SrbStatus st = srb.portSrbStatus();
        if (st != SrbStatus.SUCCESS && st != SrbStatus.DATA_OVERRUN) {
            srb.scsiStatus = 0;
            srb.portComplete(SrbStatus.TIMEOUT);
        }
        if (victims.remove(srb)) {
            post(this::checkDone);
        }
    }

    private void checkDone() {
        if (step == null || step == Step.BUS_RESET || resetOutstanding || !victims.isEmpty()) {
            return;
        }
        LOG.info("adapter {} target {} lun {}: {} brought the timed-out request(s) back; queue resumed",
                a.name(), unit.targetId(), unit.lun(), step.label);
        PortLogicalUnit u = unit;
        Step s = step;
        finish();
        establish(s == Step.LOGICAL_UNIT_RESET ? x -> x == u
                : x -> x.pathId() == u.pathId() && x.targetId() == u.targetId(), s.unitAttention);
        resume(u);
    }

    /** A bus reset someone asked for (fault injection, tests): runs on processor 0 unless a step is already running. */
    void requestBusReset(String reason) {
        post(() -> {
            if (step != null) {
                return; // an escalation is running; it ends in a bus reset if it must
            }
            LOG.warn("adapter {}: {}; resetting the bus", a.name(), reason);
            start(Step.BUS_RESET);
        });
    }

    /**
     * Pauses every queue, calls HwStorResetBus for each path at DISPATCH_LEVEL under the StartIo
     * lock (plus the interrupt lock in half duplex), completes what the miniport still holds with
     * SRB_STATUS_BUS_RESET, establishes SCSI BUS RESET OCCURRED and resumes. Processor 0.
     */
    private void busReset() {
        a.recovery.busResets.increment();
        a.resetHold = true;
        int held = 0;
        for (PortLogicalUnit u : a.allUnits()) {
            held += u.activeRequests().size();
        }
        HwInitializationData<Object> d = a.data();
        int buses = Math.max(1, a.config.getNumberOfBuses());
        boolean ok = true;
        KSpinLock[] locks = a.config.getSynchronizationMode() == SynchronizationModel.HALF_DUPLEX
                ? concat(a.startIoLock, a.interruptLocks()) : new KSpinLock[] {a.startIoLock};
        int old = a.kernel.raiseIrql(Math.max(Irql.DISPATCH_LEVEL, a.kernel.currentIrql()));
        try {
            int o2 = a.kernel.acquire(locks[0]);
            KSpinLock[] rest = java.util.Arrays.copyOfRange(locks, 1, locks.length);
            int o3 = rest.length > 0 ? a.kernel.acquireGroup(rest) : -1;
            // Whatever the miniport still owns is the port's again, as Storport completes it after a bus reset.
            // Only SRBs HwStorStartIo has received count, and they are taken while the StartIo lock is still
            // held, so a request between BuildIo and StartIo on another processor is started normally later.
            // Known window: a completion DPC on another processor that took an SRB before the reset but has not
            // reported it yet races with this sweep, and the verifier would report a double completion.
            java.util.List<EngineSrb> owned = new java.util.ArrayList<>();
            try {
                for (int p = 0; p < buses; p++) {
                    int path = p;
                    ok &= a.call("HwStorResetBus", () -> d.hwResetBus().resetBus(a.deviceExtension, path));
                }
                for (PortLogicalUnit u : a.allUnits()) {
                    for (EngineSrb s : u.activeRequests()) {
                        if (s.state == SrbState.MINIPORT && s.startIoEntered) {
                            u.deactivate(s);
                            s.portComplete(SrbStatus.BUS_RESET);
                            owned.add(s);
                        }
                    }
                }
            } finally {
                if (rest.length > 0) {
                    a.kernel.releaseGroup(rest, o3);
                }
                a.kernel.release(locks[0], o2);
            }
            int swept = owned.size();
            for (EngineSrb s : owned) {
                if (s.timedOut) {
                    victimReturned(s);
                }
                a.completeByPort(s);
            }
            a.recovery.completedByPortAfterReset.add(swept);
            LOG.warn("adapter {}: bus reset: HwStorResetBus returned {}; the miniport completed {} request(s), "
                    + "the port {} more with SRB_STATUS_BUS_RESET; queues resumed", a.name(), ok, held - swept, swept);
            victims.clear();
            finish();
            a.resetHold = false;
            establish(x -> true, Step.BUS_RESET.unitAttention);
            for (PortLogicalUnit u : a.allUnits()) {
                u.setPaused(false);
                a.pump(u);
            }
        } finally {
            a.kernel.lowerIrql(old);
        }
    }

    private void finish() {
        step = null;
        resetOutstanding = false;
        serial++;
    }

    private void resume(PortLogicalUnit u) {
        int old = a.kernel.raiseIrql(Math.max(Irql.DISPATCH_LEVEL, a.kernel.currentIrql()));
        try {
            u.setPaused(false);
            a.pump(u);
        } finally {
            a.kernel.lowerIrql(old);
        }
    }

    private void establish(Predicate<PortLogicalUnit> which, AdditionalSense condition) {
        for (PortLogicalUnit u : a.logicalUnits()) {
            if (which.test(u)) {
                a.engine.unitAttentionListener().establish(u, condition);
            }
        }
    }

    private void post(Runnable r) {
        a.kernel.execute(a.kernel.processor(0), r);
    }

    private static KSpinLock[] concat(KSpinLock first, KSpinLock[] rest) {
        KSpinLock[] l = new KSpinLock[rest.length + 1];
        l[0] = first;
        System.arraycopy(rest, 0, l, 1, rest.length);
        return l;
    }
}
