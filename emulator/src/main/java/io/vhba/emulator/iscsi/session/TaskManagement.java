package io.vhba.emulator.iscsi.session;

import io.vhba.emulator.iscsi.login.SessionType;

import io.vhba.emulator.iscsi.pdu.TaskManagementRequest;
import io.vhba.emulator.iscsi.pdu.TaskManagementResponse;
import io.vhba.emulator.scsi.core.LunAddress;
import io.vhba.emulator.scsi.core.ScsiTargetCore;
import io.vhba.emulator.scsi.core.TargetLun;
import io.vhba.emulator.storport.EngineSrb;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Task management functions (RFC 7143 §11.5-§11.6, SAM-5 7) carried into the Storport engine:
 * ABORT TASK becomes SRB_FUNCTION_ABORT_COMMAND (or a port-side abort while still queued),
 * LOGICAL UNIT RESET becomes SRB_FUNCTION_RESET_LOGICAL_UNIT. An aborted task is never
 * answered; the TMF response goes out once the engine has finished the abort or reset.
 */
final class TaskManagement {
    static final int ABORT_TASK = 1;
    static final int ABORT_TASK_SET = 2;
    static final int CLEAR_ACA = 3;
    static final int CLEAR_TASK_SET = 4;
    static final int LOGICAL_UNIT_RESET = 5;
    static final int TARGET_WARM_RESET = 6;
    static final int TARGET_COLD_RESET = 7;
    static final int TASK_REASSIGN = 8;

    static final int FUNCTION_COMPLETE = 0;
    static final int TASK_DOES_NOT_EXIST = 1;
    static final int LUN_DOES_NOT_EXIST = 2;
    static final int ALLEGIANCE_REASSIGNMENT_NOT_SUPPORTED = 4;
    static final int FUNCTION_NOT_SUPPORTED = 5;
    static final int FUNCTION_REJECTED = 255;

    private final FullFeaturePhase conn;
    private final ConnectionIo io;
    private final Session session;
    private final SessionRegistry registry;
    private final ScsiTargetCore core;

    TaskManagement(FullFeaturePhase conn, ConnectionIo io, Session session, SessionRegistry registry) {
        this.conn = conn;
        this.io = io;
        this.session = session;
        this.registry = registry;
        this.core = registry.core();
    }

    void onRequest(TaskManagementRequest r) {
        if (session.type() != SessionType.NORMAL) {
            respond(r, FUNCTION_REJECTED);
            return;
        }
        switch (r.function()) {
            case ABORT_TASK -> abortTask(r);
            case ABORT_TASK_SET, CLEAR_TASK_SET -> abortTaskSet(r);
            case LOGICAL_UNIT_RESET -> lunReset(r);
            case TARGET_WARM_RESET, TARGET_COLD_RESET -> targetReset(r);
            case CLEAR_ACA -> respond(r, FUNCTION_NOT_SUPPORTED); // NACA is never set: no ACA to clear
            case TASK_REASSIGN -> respond(r, ALLEGIANCE_REASSIGNMENT_NOT_SUPPORTED); // needs ErrorRecoveryLevel 2
            default -> respond(r, FUNCTION_REJECTED);
        }
    }

    private void abortTask(TaskManagementRequest r) {
        IscsiTask t = conn.tasks().get(r.referencedTaskTag());
        if (t == null || t.lunField != r.lun()) {
            respond(r, TASK_DOES_NOT_EXIST);
            return;
        }
        abort(List.of(t), () -> respond(r, FUNCTION_COMPLETE));
    }

    private void abortTaskSet(TaskManagementRequest r) {
        if (lun(r) == null) {
            respond(r, LUN_DOES_NOT_EXIST);
            return;
        }
        abort(tasksOn(r.lun()), () -> respond(r, FUNCTION_COMPLETE));
    }

    private void lunReset(TaskManagementRequest r) {
        TargetLun lun = lun(r);
        if (lun == null) {
            respond(r, LUN_DOES_NOT_EXIST);
            return;
        }
        reset(List.of(lun), () -> respond(r, FUNCTION_COMPLETE));
    }

    private void targetReset(TaskManagementRequest r) {
        List<TargetLun> luns = new ArrayList<>(session.target().luns());
        reset(luns, () -> {
            respond(r, FUNCTION_COMPLETE);
            if (r.function() == TARGET_COLD_RESET) {
                // A cold reset also ends every connection to the target, of every initiator and every
                // session, the requester's once its response is out (RFC 7143 §11.5.1).
                registry.closeTarget(session.target(), session, "target cold reset");
                io.closeAfterFlush("target cold reset");
            }
        });
    }

    private void reset(List<TargetLun> luns, Runnable done) {
        for (TargetLun l : luns) {
            for (IscsiTask t : tasksOn(l)) {
                t.aborted = true;
                conn.tasks().remove(t.itt);
                if (!t.submitted) {
                    conn.countDropped(); // a submitted one is counted when its SRB comes back
                    if (t.buffer() != null) {
                        t.buffer().release();
                    }
                }
            }
        }
        AtomicInteger left = new AtomicInteger(luns.size());
        if (luns.isEmpty()) {
            done.run();
            return;
        }
        for (TargetLun l : luns) {
            l.port().adapter().resetLogicalUnit(l.port(), onLoop(() -> {
                // Every nexus, the requester's too, learns of the reset from a unit attention (SAM-5 6.3.3;
                // libiscsi MultipathIO.Reset expects it on every path); SPC-2 reservations end.
                core.logicalUnitReset(session.target(), l, null);
                if (left.decrementAndGet() == 0) {
                    done.run();
                }
            }));
        }
    }

    private void abort(List<IscsiTask> victims, Runnable done) {
        AtomicInteger left = new AtomicInteger(1);
        Runnable one = onLoop(() -> {
            if (left.decrementAndGet() == 0) {
                done.run();
            }
        });
        for (IscsiTask t : victims) {
            t.aborted = true;
            if (!t.submitted) {
                conn.tasks().remove(t.itt);
                conn.countDropped();
                if (t.buffer() != null) {
                    t.buffer().release();
                }
                continue;
            }
            EngineSrb srb = t.prepared == null ? null : t.prepared.srb();
            if (srb != null && !t.done) {
                left.incrementAndGet();
                srb.adapter().abort(srb, one);
            }
        }
        one.run();
    }

    /** Aborts this connection's tasks on {@code lun} for another nexus's PREEMPT AND ABORT (SPC-4 5.13.11.2.6). */
    void abortTasksOn(TargetLun lun, Runnable done) {
        abort(tasksOn(lun), done);
    }

    private List<IscsiTask> tasksOn(long lunField) {
        List<IscsiTask> l = new ArrayList<>();
        for (IscsiTask t : conn.tasks().values()) {
            if (t.lunField == lunField) {
                l.add(t);
            }
        }
        return l;
    }

    private List<IscsiTask> tasksOn(TargetLun lun) {
        List<IscsiTask> l = new ArrayList<>();
        for (IscsiTask t : conn.tasks().values()) {
            if (LunAddress.decode(t.lunField) == lun.lun()) {
                l.add(t);
            }
        }
        return l;
    }

    private TargetLun lun(TaskManagementRequest r) {
        int n = LunAddress.decode(r.lun());
        return n < 0 ? null : session.target().lun(n);
    }

    /** Runs {@code r} on the connection's event loop (engine callbacks arrive on any processor). */
    private Runnable onLoop(Runnable r) {
        return () -> {
            if (io.executor().inEventLoop()) {
                r.run();
            } else {
                io.executor().execute(r);
            }
        };
    }

    private void respond(TaskManagementRequest r, int response) {
        registry.metrics().taskManagement(r.function(), response);
        io.send(new TaskManagementResponse(response, r.itt(), io.nextStatSn(), session.window.expCmdSn(),
                session.window.maxCmdSn()));
        io.flushSoon();
    }
}
