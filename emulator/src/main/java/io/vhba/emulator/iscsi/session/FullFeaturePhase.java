package io.vhba.emulator.iscsi.session;

import io.vhba.emulator.iscsi.login.SessionType;

import io.netty.buffer.Unpooled;
import io.netty.util.collection.IntObjectHashMap;
import io.vhba.emulator.iscsi.pdu.DataOut;
import io.vhba.emulator.iscsi.pdu.InitiatorPdu;
import io.vhba.emulator.iscsi.pdu.LogoutRequest;
import io.vhba.emulator.iscsi.pdu.LogoutResponse;
import io.vhba.emulator.iscsi.pdu.NopIn;
import io.vhba.emulator.iscsi.pdu.NopOut;
import io.vhba.emulator.iscsi.pdu.Pdu;
import io.vhba.emulator.iscsi.pdu.R2T;
import io.vhba.emulator.iscsi.pdu.Reject;
import io.vhba.emulator.iscsi.pdu.RejectReason;
import io.vhba.emulator.iscsi.pdu.ScsiCommand;
import io.vhba.emulator.iscsi.pdu.TaskManagementRequest;
import io.vhba.emulator.iscsi.pdu.TextRequest;
import io.vhba.emulator.scsi.core.CommandOutcome;
import io.vhba.emulator.scsi.core.CommandPlan;
import io.vhba.emulator.scsi.core.CommandRequest;
import io.vhba.emulator.scsi.core.LunAddress;
import io.vhba.emulator.scsi.core.PreparedCommand;
import io.vhba.emulator.scsi.core.TargetLun;
import io.vhba.miniport.scsi.AdditionalSense;
import io.vhba.miniport.scsi.SenseData;
import io.vhba.miniport.scsi.SenseKey;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A connection in full feature phase (RFC 7143 §3.2.3). Confined to its event loop: PDUs
 * arrive there, and command outcomes are handed back to it from whatever processor completed
 * them. Non-immediate commands pass the session's CmdSN window; Data-Out and SNACK do not.
 */
public final class FullFeaturePhase {
    private static final Logger LOG = LoggerFactory.getLogger(FullFeaturePhase.class);

    private final ConnectionIo io;
    private final Session session;
    private final SessionRegistry registry;
    private final TargetCatalog catalog;
    private IoParameters params;
    private final int cid;
    private final IntObjectHashMap<IscsiTask> tasks = new IntObjectHashMap<>();
    private final TargetTransferTags tags = new TargetTransferTags();
    private final TextExchange text;
    private final TaskManagement tmf;
    private final Consumer<InitiatorPdu> deliver = this::execute;
    private int pendingPingTtt = Pdu.RESERVED_TAG;
    private long pingSentNanos;
    private boolean closing;

    FullFeaturePhase(ConnectionIo io, Session session, SessionRegistry registry, TargetCatalog catalog,
                     IoParameters params, int cid) {
        this.io = io;
        this.session = session;
        this.registry = registry;
        this.catalog = catalog;
        this.params = params;
        this.cid = cid;
        this.text = new TextExchange(io, session, catalog, tags, params);
        this.tmf = new TaskManagement(this, io, session, registry);
        session.connection = this;
    }

    Session session() {
        return session;
    }

    IoParameters params() {
        return params;
    }

    /** Aborts this connection's tasks on {@code lun} on its event loop, then runs {@code done} (PREEMPT AND ABORT). */
    void abortTasksOn(TargetLun lun, Runnable done) {
        io.executor().execute(() -> tmf.abortTasksOn(lun, done));
    }

        IntObjectHashMap<IscsiTask> tasks() {
        return tasks;
    }

    // ---- inbound ------------------------------------------------------------------------

    /** One PDU from the initiator; this method owns (and releases) it. */
    public void onPdu(InitiatorPdu pdu) {
        if (closing) {
            pdu.release();
            return;
        }
        switch (pdu.opcode()) {
            case DATA_OUT -> onDataOut((DataOut) pdu);
            case NOP_OUT -> {
                NopOut n = (NopOut) pdu;
                if (n.itt() == Pdu.RESERVED_TAG) {
                    onPingResponse(n); // answers our NOP-In; not a command (RFC 7143 §11.18.2)
                } else {
                    ordered(pdu, n.cmdSN());
                }
            }
            case SCSI_COMMAND -> ordered(pdu, ((ScsiCommand) pdu).cmdSN());
            case TASK_MANAGEMENT_REQUEST -> ordered(pdu, ((TaskManagementRequest) pdu).cmdSN());
            case TEXT_REQUEST -> ordered(pdu, ((TextRequest) pdu).cmdSN());
            case LOGOUT_REQUEST -> ordered(pdu, ((LogoutRequest) pdu).cmdSN());
            case SNACK_REQUEST -> reject(pdu, RejectReason.PROTOCOL_ERROR); // ErrorRecoveryLevel is 0: no SNACK
            default -> reject(pdu, RejectReason.PROTOCOL_ERROR); // a login PDU in full feature phase
        }
    }

    private void ordered(InitiatorPdu pdu, int cmdSn) {
        if (!session.window.offer(pdu, cmdSn, deliver)) {
            LOG.debug("{}: CmdSN {} outside [{}, {}], ignored (RFC 7143 §4.2.2.1)", session, cmdSn,
                    session.window.expCmdSn(), session.window.maxCmdSn());
            pdu.release();
        }
    }

    private void execute(InitiatorPdu pdu) {
        switch (pdu.opcode()) {
            case SCSI_COMMAND -> onCommand((ScsiCommand) pdu);
            case NOP_OUT -> onNopOut((NopOut) pdu);
            case TEXT_REQUEST -> text.onTextRequest((TextRequest) pdu);
            case LOGOUT_REQUEST -> onLogout((LogoutRequest) pdu);
            case TASK_MANAGEMENT_REQUEST -> tmf.onRequest((TaskManagementRequest) pdu);
            default -> reject(pdu, RejectReason.PROTOCOL_ERROR);
        }
    }

    // ---- SCSI commands ------------------------------------------------------------------

    private void onCommand(ScsiCommand c) {
        try {
            if (session.type() != SessionType.NORMAL) {
                reject(c, RejectReason.PROTOCOL_ERROR); // a discovery session carries Text and Logout only
                return;
            }
            if (tasks.containsKey(c.itt())) {
                reject(c, RejectReason.TASK_IN_PROGRESS);
                return;
            }
            IscsiTask t = new IscsiTask(c);
            io.vhba.emulator.trace.Tracer tr = io.trace();
            if (tr != null) {
                t.flowId = tr.newFlow();
                tr.flow('s', t.flowId); // the SRB's flow starts at its SCSI Command PDU
            }
            CommandRequest r = new CommandRequest(session.nexus(), session.target(), LunAddress.decode(c.lun()), c.cdb(),
                    c.read(), c.write(), t.edtl, c.attributes());
            CommandPlan plan = registry.core().plan(r);
            if (plan instanceof CommandPlan.Immediate im) {
                ResponseSender.respond(io, params, session.window, t, im.outcome());
                traceResponse(t);
                return;
            }
            PreparedCommand p = ((CommandPlan.Execute) plan).command();
            try {
                t.beginDataOut(p, c, params);
            } catch (DataOutProblem e) {
                LOG.warn("{}: {}", session, e.getMessage());
                if (p.buffer() != null) {
                    p.buffer().release();
                }
                reject(c, e.reason());
                return;
            }
            tasks.put(t.itt, t);
            advance(t);
        } finally {
            c.release();
        }
    }

    private void onDataOut(DataOut d) {
        try {
            IscsiTask t = tasks.get(d.itt());
            if (t == null || t.submitted || t.done) {
                // Data for a task that ended (aborted, or failed early) is discarded (RFC 7143 §4.2.3.3).
                LOG.debug("{}: Data-Out for ITT 0x{} without a collecting task, discarded", session, Integer.toHexString(d.itt()));
                return;
            }
            try {
                t.onDataOut(d);
            } catch (DataOutProblem e) {
                // ErrorRecoveryLevel 0 cannot recover the sequence: end the task with a data phase error.
                LOG.warn("{}: ITT 0x{}: {}", session, Integer.toHexString(t.itt), e.getMessage());
                failTask(t, SenseData.of(SenseKey.ABORTED_COMMAND, AdditionalSense.DATA_PHASE_ERROR));
                return;
            }
            advance(t);
        } finally {
            d.release();
        }
    }

    /** Sends the R2Ts the task may have now, and submits it once all its data is in. */
    private void advance(IscsiTask t) {
        for (R2tState r : t.nextR2ts(params, tags)) {
            io.send(new R2T(t.lunField, t.itt, r.ttt, io.currentStatSn(), session.window.expCmdSn(),
                    session.window.maxCmdSn(), r.r2tSn, r.offset, r.length));
        }
        if (t.dataOutComplete()) {
            t.submitted = true;
            io.vhba.emulator.trace.Tracer tr = io.trace();
            if (tr != null) {
                tr.carryFlow(t.flowId); // the port picks it up for the SRB it makes
            }
            t.prepared.submit(o -> {
                if (io.executor().inEventLoop()) {
                    complete(t, o);
                } else {
                    io.executor().execute(() -> complete(t, o));
                }
            });
            if (tr != null) {
                tr.carryFlow(0);
            }
        }
        io.flushSoon();
    }

    private void complete(IscsiTask t, CommandOutcome o) {
        if (tasks.get(t.itt) == t) {
            tasks.remove(t.itt);
        }
        t.done = true;
        if (t.aborted || closing) {
            o.release(); // an aborted task is never answered (RFC 7143 §4.2.3.3)
            return;
        }
        ResponseSender.respond(io, params, session.window, t, o);
        traceResponse(t);
    }

    /** The SRB's flow ends with its response. */
    private void traceResponse(IscsiTask t) {
        io.vhba.emulator.trace.Tracer tr = io.trace();
        if (tr != null && t.flowId != 0) {
            tr.flow('f', t.flowId);
        }
    }

    private void failTask(IscsiTask t, SenseData sense) {
        tasks.remove(t.itt);
        t.done = true;
        if (t.buffer() != null) {
            t.buffer().release();
        }
        ResponseSender.respond(io, params, session.window, t, CommandOutcome.checkCondition(sense));
        traceResponse(t);
    }

    // ---- NOP ----------------------------------------------------------------------------

    private void onNopOut(NopOut n) {
        // A ping from the initiator: echo its data back (RFC 7143 §11.19).
        io.send(new NopIn(n.lun(), n.itt(), Pdu.RESERVED_TAG, io.nextStatSn(), session.window.expCmdSn(),
                session.window.maxCmdSn(), n.data()));
        io.flushSoon();
    }

    private void onPingResponse(NopOut n) {
        if (n.ttt() == pendingPingTtt) {
            pendingPingTtt = Pdu.RESERVED_TAG;
        }
        n.release();
    }

    /** Sends a target ping if none is outstanding; returns false when the last one went unanswered for too long. */
    boolean ping(long now, long timeoutNanos) {
        if (pendingPingTtt != Pdu.RESERVED_TAG) {
            return now - pingSentNanos < timeoutNanos;
        }
        pendingPingTtt = tags.next();
        pingSentNanos = now;
        io.send(new NopIn(0, Pdu.RESERVED_TAG, pendingPingTtt, io.currentStatSn(), session.window.expCmdSn(),
                session.window.maxCmdSn(), Unpooled.EMPTY_BUFFER));
        io.flushSoon();
        return true;
    }

    // ---- logout and teardown ------------------------------------------------------------

    private void onLogout(LogoutRequest l) {
        int response;
        switch (l.reasonCode()) {
            case 0 -> response = 0;                          // close the session
            case 1 -> response = l.cid() == cid ? 0 : 1;     // close this connection, else "CID not found"
            default -> response = 2;                          // recovery needs ErrorRecoveryLevel 2
        }
        io.send(new LogoutResponse(response, l.itt(), io.nextStatSn(), session.window.expCmdSn(),
                session.window.maxCmdSn(), 0, 0));
        if (response == 0) {
            closing = true;
            dropTasks();
            registry.close(session, "logout");
            io.closeAfterFlush("logout");
        } else {
            io.flushSoon();
        }
    }

    /** The transport went away (or the session was reinstated elsewhere): end the session. */
    public void connectionLost() {
        if (!closing) {
            closing = true;
            dropTasks();
            registry.close(session, "connection lost");
        }
    }

    /** Called by the registry when the session ends for another reason (reinstatement). */
    void sessionClosed(String reason) {
        if (io.executor().inEventLoop()) {
            closeForReason(reason);
        } else {
            io.executor().execute(() -> closeForReason(reason));
        }
    }

    private void closeForReason(String reason) {
        if (!closing) {
            closing = true;
            dropTasks();
            io.closeAfterFlush(reason);
        }
    }

    /** Tasks still collecting data are freed; submitted ones will be dropped when they complete. */
    private void dropTasks() {
        List<IscsiTask> all = new ArrayList<>(tasks.values());
        tasks.clear();
        for (IscsiTask t : all) {
            t.aborted = true;
            if (!t.submitted && t.buffer() != null) {
                t.buffer().release();
            }
        }
        session.window.clear(Pdu::release);
    }

    // ---- reject -------------------------------------------------------------------------

    /** Rejects {@code pdu} (RFC 7143 §11.17): its header goes back in the data segment. */
    void reject(Pdu pdu, RejectReason reason) {
        io.send(new Reject(reason.code(), io.nextStatSn(), session.window.expCmdSn(), session.window.maxCmdSn(), 0,
                RejectedHeader.of(pdu)));
        io.flushSoon();
    }
}
