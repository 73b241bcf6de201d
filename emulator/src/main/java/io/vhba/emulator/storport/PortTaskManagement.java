package io.vhba.emulator.storport;

import io.vhba.miniport.SrbStatus;

/**
 * The port's side of task management (STORPORT.md, "Task management"): what Storport does
 * before and around the SRB_FUNCTION_ABORT_COMMAND and SRB_FUNCTION_RESET_LOGICAL_UNIT
 * requests it sends the miniport.
 */
final class PortTaskManagement {
    private PortTaskManagement() {}

    /**
     * Aborts {@code victim}: a request still in the port's queue is returned with
     * SRB_STATUS_ABORTED without the miniport seeing it; one the miniport owns gets an
     * SRB_FUNCTION_ABORT_COMMAND with NextSrb pointing at it. {@code done} runs when the abort
     * request completes (the victim completes on its own path). Must run on a processor thread.
     */
    static void abort(Adapter a, EngineSrb victim, Runnable done) {
        PortLogicalUnit lu = victim.lu;
        if (lu.removePending(victim)) {
            a.failImmediately(victim, SrbStatus.ABORTED);
            done.run();
            return;
        }
        if (victim.state != SrbState.MINIPORT || a.state != AdapterState.RUNNING) {
            done.run(); // already completed (or on its way back)
            return;
        }
        EngineSrb r = a.allocateSrb();
        r.prepareFunction(lu, io.vhba.miniport.SrbFunction.ABORT_COMMAND, victim, a.engine.settings().defaultTimeoutSeconds(),
                s -> {
                    s.recycle();
                    done.run();
                }, null);
        a.issueBypass(r);
    }

    /**
     * Resets a logical unit: queued requests are returned with SRB_STATUS_ABORTED, then the
     * miniport gets SRB_FUNCTION_RESET_LOGICAL_UNIT and completes what it holds for that LU.
     * {@code done} runs when the reset request completes.
     */
    static void resetLogicalUnit(Adapter a, PortLogicalUnit lu, Runnable done) {
        for (EngineSrb s : lu.drainPending()) {
            a.failImmediately(s, SrbStatus.ABORTED);
        }
        if (a.state != AdapterState.RUNNING) {
            done.run();
            return;
        }
        a.counters.lunResets.increment();
        EngineSrb r = a.allocateSrb();
        r.prepareFunction(lu, io.vhba.miniport.SrbFunction.RESET_LOGICAL_UNIT, null, a.engine.settings().defaultTimeoutSeconds(),
                s -> {
                    s.recycle();
                    done.run();
                    a.pump(lu);
                }, null);
        a.issueBypass(r);
    }
}
