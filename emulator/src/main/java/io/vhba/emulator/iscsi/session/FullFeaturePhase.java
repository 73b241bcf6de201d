package io.vhba.emulator.iscsi.session;

import io.vhba.emulator.iscsi.login.SessionType;
import io.vhba.emulator.iscsi.login.TextLimits;

import io.netty.buffer.Unpooled;
import io.netty.util.collection.IntObjectHashMap;
import io.vhba.emulator.scsi.core.ScsiTarget;
import io.vhba.emulator.iscsi.pdu.AsyncMessage;
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
import io.vhba.emulator.limits.Limit;
import io.vhba.emulator.limits.LimitEvents;
import io.vhba.emulator.scsi.core.CommandOutcome;
import io.vhba.emulator.scsi.core.CommandPlan;
import io.vhba.emulator.scsi.core.CommandRequest;
import io.vhba.emulator.scsi.core.LunAddress;
import io.vhba.emulator.scsi.core.PreparedCommand;
import io.vhba.emulator.scsi.core.TargetLun;
import io.vhba.miniport.scsi.AdditionalSense;
import io.vhba.miniport.scsi.SenseData;
import io.vhba.miniport.scsi.SenseKey;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
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
    /** Command meters by LUN number, resolved once per connection (this connection's event loop only). */
    private final IntObjectHashMap<CommandMeters> meters = new IntObjectHashMap<>();
    private final TargetTransferTags tags = new TargetTransferTags();
    private final TextExchange text;
    private final TaskManagement tmf;
    private final IoStatistics stats;
    private final Consumer<InitiatorPdu> deliver = this::execute;
    private final PortalLimits limits;
    private final LimitEvents events;
    /** Tasks that want an R2T the session's limit does not allow yet, in arrival order. */
    private final ArrayDeque<IscsiTask> r2tWaiters = new ArrayDeque<>();
    private int pendingPingTtt = Pdu.RESERVED_TAG;
    private long pingSentNanos;
    private boolean closing;

    FullFeaturePhase(ConnectionIo io, Session session, SessionRegistry registry, TargetCatalog catalog,
                     IoParameters params, int cid, PortalLimits limits, LimitEvents events, TextLimits textLimits) {
        this.limits = limits;
        this.events = events;
        this.io = io;
        this.session = session;
        this.registry = registry;
        this.catalog = catalog;
        this.params = params;
        this.cid = cid;
        this.text = new TextExchange(io, session, catalog, tags, params, textLimits, events);
        this.tmf = new TaskManagement(this, io, session, registry);
        this.stats = registry.statistics();
        session.connection = this;
    }

    Session session() {
        return session;
    }

    IoParameters params() {
        return params;
    }

    /** A task that never reached the core ended without status (task management took it). */
    void countDropped() {
        stats.dropped();
    }

    String localPortal() {
        return io.localPortal();
    }

    String remoteAddress() {
        return io.remoteAddress();
    }

    /** Aborts this connection's tasks on {@code lun} on its event loop, then runs {@code done} (PREEMPT AND ABORT). */
    void abortTasksOn(TargetLun lun, Runnable done) {
        io.executor().execute(() -> {
            tmf.abortTasksOn(lun, done);
            serveR2tWaiters();
        });
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
            // ErrorRecoveryLevel is 0: no SNACK. Anything else here is a Login Request in full feature phase,
            // whose data segment must go back to the pool with it.
            default -> rejectAndRelease(pdu, RejectReason.PROTOCOL_ERROR);
        }
        if (!r2tWaiters.isEmpty()) {
            serveR2tWaiters(); // this PDU may have ended a burst or a task
        }
    }

    private void ordered(InitiatorPdu pdu, int cmdSn) {
        if (session.window.wouldQueue(pdu, cmdSn)
                && session.window.earlyBytes() + pdu.data().readableBytes() > limits.queuedCommandDataBytes()) {
            // Commands parked behind a CmdSN gap hold their immediate data in our memory until the gap fills; one
            // connection (MaxConnections=1 keeps CmdSN in order on the wire) has no honest reason to park much.
            events.reached(Limit.SESSION_QUEUED_COMMAND_DATA, () -> session + ": " + session.window.earlyBytes()
                    + " bytes behind CmdSN " + session.window.expCmdSn());
            pdu.release();
            closeForReason("too much data queued behind a CmdSN gap");
            return;
        }
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
            default -> rejectAndRelease(pdu, RejectReason.PROTOCOL_ERROR);
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
            int lun = LunAddress.decode(c.lun());
            t.meters = commandMeters(lun);
            session.countCommand();
            stats.received();
            io.vhba.emulator.trace.Tracer tr = io.trace();
            if (tr != null) {
                t.flowId = tr.newFlow();
                tr.flow('s', t.flowId); // the SRB's flow starts at its SCSI Command PDU
            }
            CommandRequest r = new CommandRequest(session.nexus(), session.target(), lun, c.cdb(),
                    c.read(), c.write(), t.edtl, c.attributes());
            CommandPlan plan = registry.core().plan(r);
            if (plan instanceof CommandPlan.Immediate im) {
                answer(t, im.outcome());
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
                stats.dropped();
                reject(c, e.reason());
                return;
            }
            tasks.put(t.itt, t);
            advance(t);
        } finally {
            c.release();
        }
    }

    private CommandMeters commandMeters(int lun) {
        CommandMeters m = meters.get(lun);
        if (m == null) {
            ScsiTarget target = session.target();
            m = registry.metrics().commands(target, lun);
            if (IscsiMetrics.cacheable(target, lun)) {
                meters.put(lun, m); // an unmapped LUN is looked up each time: it may be mapped later
            }
        }
        return m;
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
        int budget = t.wantsR2t(params) ? limits.maxOutstandingR2tPerSession() - r2tsOutstanding() : 0;
        List<R2tState> r2ts = t.nextR2ts(params, tags, Math.max(0, budget));
        for (R2tState r : r2ts) {
            io.send(new R2T(t.lunField, t.itt, r.ttt, io.currentStatSn(), session.window.expCmdSn(),
                    session.window.maxCmdSn(), r.r2tSn, r.offset, r.length));
        }
        if (r2ts.size() == Math.max(0, budget) && t.wantsR2t(params) && !t.waitingForR2t) {
            // The session's R2T limit, not the task's own MaxOutstandingR2T, holds it back: wait for a burst to end.
            t.waitingForR2t = true;
            r2tWaiters.addLast(t);
            events.reached(Limit.SESSION_OUTSTANDING_R2T, () -> session + ": " + limits.maxOutstandingR2tPerSession()
                    + " R2Ts outstanding; ITT 0x" + Integer.toHexString(t.itt) + " waits");
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

    /** R2Ts of this session's live tasks still waiting for their Data-Out. */
    private int r2tsOutstanding() {
        int n = 0;
        for (IscsiTask t : tasks.values()) {
            n += t.outstandingR2ts();
        }
        return n;
    }

    /** Gives waiting tasks the R2Ts that bursts which ended (or tasks that went away) have freed. */
    private void serveR2tWaiters() {
        while (!r2tWaiters.isEmpty()) {
            IscsiTask t = r2tWaiters.peekFirst();
            if (tasks.get(t.itt) != t || t.done || t.aborted || t.submitted || !t.wantsR2t(params)) {
                r2tWaiters.pollFirst().waitingForR2t = false;
                continue;
            }
            if (r2tsOutstanding() >= limits.maxOutstandingR2tPerSession()) {
                return;
            }
            r2tWaiters.pollFirst().waitingForR2t = false;
            advance(t);
            if (t.waitingForR2t) {
                return; // it took what was free and waits again
            }
        }
    }

    private void complete(IscsiTask t, CommandOutcome o) {
        if (tasks.get(t.itt) == t) {
            tasks.remove(t.itt);
        }
        t.done = true;
        if (t.aborted || closing) {
            if (t.submitted) {
                stats.dropped(); // not yet counted: dropTasks counts only the tasks that never reached the core
            }
            o.release(); // an aborted task is never answered (RFC 7143 §4.2.3.3)
            return;
        }
        answer(t, o);
    }

    private void failTask(IscsiTask t, SenseData sense) {
        tasks.remove(t.itt);
        t.done = true;
        if (t.buffer() != null) {
            t.buffer().release();
        }
        answer(t, CommandOutcome.checkCondition(sense));
    }

    /** Sends the command's Data-In and status, counting it in the I/O statistics; the SRB's flow ends there. */
    private void answer(IscsiTask t, CommandOutcome o) {
        long dataIn = t.read && o.dataIn() != null ? Math.min(o.dataInLength(), t.edtl) : 0;
        stats.answered(t.read, t.write, dataIn, t.write ? t.edtl : 0, System.nanoTime() - t.startNanos);
        ResponseSender.respond(io, params, session.window, t, o);
        io.vhba.emulator.trace.Tracer tr = io.trace();
        if (tr != null && t.flowId != 0) {
            tr.flow('f', t.flowId);
        }
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

    /**
     * The target asks the initiator to log out (RFC 7143 §11.9.1, AsyncEvent 1 "target requests Logout"), as LIO
     * does when an administrator drops a session: the Async Message carries {@code graceSeconds} in Parameter3,
     * the time the initiator has to send its Logout. If the session is still there then, the target ends it and
     * closes the connection. Runs on the connection's event loop.
     */
    void requestLogout(int graceSeconds) {
        io.executor().execute(() -> {
            if (closing) {
                return;
            }
            // An Async Message carries status numbering like a response (RFC 7143 §11.9: StatSN advances)
            io.send(new AsyncMessage(0, io.nextStatSn(), session.window.expCmdSn(), session.window.maxCmdSn(),
                    1, 0, 0, 0, graceSeconds, Unpooled.EMPTY_BUFFER));
            io.flushSoon();
            LOG.info("{}: logout requested; the session ends in {} s unless the initiator logs out", session, graceSeconds);
            io.executor().schedule(() -> {
                if (!closing) {
                    LOG.info("{}: no Logout within {} s of the request; dropping the session", session, graceSeconds);
                    registry.close(session, "target requested logout");
                }
            }, graceSeconds, TimeUnit.SECONDS);
        });
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
            if (!t.submitted) {
                stats.dropped(); // never reaches complete(); a submitted one is counted there
                if (t.buffer() != null) {
                    t.buffer().release();
                }
            }
        }
        session.window.clear(Pdu::release);
        r2tWaiters.clear();
    }

    // ---- reject -------------------------------------------------------------------------

    private void rejectAndRelease(InitiatorPdu pdu, RejectReason reason) {
        try {
            reject(pdu, reason);
        } finally {
            pdu.release();
        }
    }

    /** Rejects {@code pdu} (RFC 7143 §11.17): its header goes back in the data segment; the caller keeps the PDU. */
    void reject(Pdu pdu, RejectReason reason) {
        io.send(new Reject(reason.code(), io.nextStatSn(), session.window.expCmdSn(), session.window.maxCmdSn(), 0,
                RejectedHeader.of(pdu)));
        io.flushSoon();
    }
}
