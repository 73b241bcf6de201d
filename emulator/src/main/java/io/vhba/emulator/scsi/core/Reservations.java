package io.vhba.emulator.scsi.core;

import io.vhba.emulator.platform.HostBuffer;
import io.vhba.emulator.platform.HostMemory;
import io.vhba.emulator.scsi.core.reservation.LunReservations;
import io.vhba.emulator.scsi.core.reservation.PrAnswer;
import io.vhba.emulator.scsi.core.reservation.PrStore;
import io.vhba.miniport.scsi.ScsiOpcode;
import io.vhba.miniport.scsi.ScsiStatus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The core's side of reservations (SPC-4 5.13): one {@link LunReservations} per LUN, the
 * reservation commands answered from it, and their effects carried out: unit attentions for
 * other I_T nexuses and, for PREEMPT AND ABORT, the preempted nexuses' tasks aborted through the
 * transport's {@link TaskAborter} before the command completes.
 */
final class Reservations {
    private final HostMemory memory;
    private final PrStore store;
    private final Map<TargetLun, LunReservations> byLun = Collections.synchronizedMap(new IdentityHashMap<>());
    private volatile TaskAborter aborter = TaskAborter.NO_TRANSPORT;

    Reservations(HostMemory memory, PrStore store) {
        this.memory = memory;
        this.store = store;
    }

    void setTaskAborter(TaskAborter a) {
        aborter = a;
    }

    /** The state of {@code lun}, restored from the store the first time (APTPL). */
    LunReservations of(ScsiTarget target, TargetLun lun) {
        synchronized (byLun) {
            LunReservations r = byLun.get(lun);
            if (r == null) {
                try {
                    r = new LunReservations(target.name() + "/lun/" + lun.lun(), store, target.relativeTargetPortId());
                } catch (IOException e) {
                    throw new UncheckedIOException("persistent reservation state of " + target.name() + " LUN " + lun.lun(), e);
                }
                byLun.put(lun, r);
            }
            return r;
        }
    }

    /** The LUN left the target: its reservation state goes with it (a saved APTPL file stays for a LUN added back). */
    void forget(TargetLun lun) {
        byLun.remove(lun);
    }

    static boolean owns(ScsiOpcode op) {
        return op == ScsiOpcode.PERSISTENT_RESERVE_IN || op == ScsiOpcode.PERSISTENT_RESERVE_OUT
                || op == ScsiOpcode.RESERVE_6 || op == ScsiOpcode.RESERVE_10
                || op == ScsiOpcode.RELEASE_6 || op == ScsiOpcode.RELEASE_10;
    }

    boolean conflicts(CommandRequest r, TargetLun lun) {
        return of(r.target(), lun).conflicts(r.nexus(), r.cdb());
    }

    /** The answer to a reservation command that carries no Data-Out. */
    CommandOutcome answer(CommandRequest r, TargetLun lun, ScsiOpcode op) {
        LunReservations s = of(r.target(), lun);
        PrAnswer a = switch (op) {
            case PERSISTENT_RESERVE_IN -> s.reserveIn(r.nexus(), r.cdb());
            case RESERVE_6, RESERVE_10 -> s.reserveSpc2(r.nexus(), r.cdb());
            case RELEASE_6, RELEASE_10 -> s.releaseSpc2(r.nexus(), r.cdb());
            default -> throw new IllegalArgumentException(op + " carries a parameter list");
        };
        long alloc = op == ScsiOpcode.PERSISTENT_RESERVE_IN ? TransferLength.field(r.cdb(), 7, 2) : 0;
        establishUnitAttentions(a, lun);
        return outcome(a, alloc);
    }

    /** PERSISTENT RESERVE OUT once its parameter list is in. */
    LocalExecution reserveOut(CommandRequest r, TargetLun lun) {
        return (params, done) -> {
            PrAnswer a = of(r.target(), lun).reserveOut(r.nexus(), r.cdb(), params);
            establishUnitAttentions(a, lun);
            abortThen(a, lun, () -> done.accept(outcome(a, 0)));
        };
    }

    void nexusLeft(ScsiTarget target, ItNexus nexus) {
        for (TargetLun l : target.luns()) {
            of(target, l).nexusLost(nexus);
        }
    }

    void logicalUnitReset(ScsiTarget target, TargetLun lun) {
        of(target, lun).logicalUnitReset();
    }

    private static void establishUnitAttentions(PrAnswer a, TargetLun lun) {
        for (PrAnswer.Effect e : a.effects()) {
            if (e instanceof PrAnswer.UnitAttention ua) {
                lun.unitAttentions.establish(ua.nexus(), ua.condition());
            }
        }
    }

    /** Aborts the preempted nexuses' tasks, then runs {@code then} (SPC-4 5.13.11.2.6: the command completes after). */
    private void abortThen(PrAnswer a, TargetLun lun, Runnable then) {
        List<ItNexus> victims = new ArrayList<>();
        for (PrAnswer.Effect e : a.effects()) {
            if (e instanceof PrAnswer.AbortTasks ab) {
                victims.add(ab.nexus());
            }
        }
        if (victims.isEmpty()) {
            then.run();
            return;
        }
        AtomicInteger left = new AtomicInteger(victims.size());
        for (ItNexus n : victims) {
            aborter.abortTasks(n, lun, () -> {
                if (left.decrementAndGet() == 0) {
                    then.run();
                }
            });
        }
    }

    private CommandOutcome outcome(PrAnswer a, long alloc) {
        if (a.status() == ScsiStatus.CHECK_CONDITION) {
            return CommandOutcome.checkCondition(a.sense());
        }
        if (a.status() != ScsiStatus.GOOD || a.data() == null) {
            return CommandOutcome.of(a.status());
        }
        int n = (int) Math.min(alloc, a.data().length);
        HostBuffer b = memory.allocate(Math.max(1, n));
        b.put(0, a.data(), 0, n);
        return CommandOutcome.good(b, n);
    }

    /** Restores every LUN's saved state now, so a bad state file shows at start rather than at the first command. */
    void load(ScsiTarget target) {
        for (TargetLun l : target.luns()) {
            of(target, l);
        }
    }
}
