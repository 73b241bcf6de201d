package io.vhba.emulator.iscsi.session;

import io.vhba.emulator.iscsi.login.SessionType;
import io.vhba.emulator.limits.Limit;
import io.vhba.emulator.limits.LimitEvents;

import io.vhba.emulator.scsi.core.ItNexus;
import io.vhba.emulator.scsi.core.ScsiTarget;
import io.vhba.emulator.scsi.core.ScsiTargetCore;
import io.vhba.emulator.scsi.core.TargetLun;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every live session of the target process, by TSIH. A leading login whose initiator name,
 * ISID and target match a live session reinstates it (RFC 7143 §6.3.5): the old session's
 * connection is closed and its tasks are dropped before the new one takes its place. Several
 * sessions of one initiator with different ISIDs coexist (multipath).
 */
public final class SessionRegistry {
    private static final Logger LOG = LoggerFactory.getLogger(SessionRegistry.class);
    /** The CmdSN window each session offers: enough for Linux's 128 commands per session. */
    static final int WINDOW = 256;

    private final ConcurrentHashMap<Integer, Session> byTsih = new ConcurrentHashMap<>();
    private final AtomicInteger nextTsih = new AtomicInteger(1);
    private final ScsiTargetCore core;
    private final int maxSessions;
    private final int maxSessionsPerTarget;
    private final LimitEvents events;
    private final IscsiMetrics metrics;
    private final IoStatistics statistics = new IoStatistics();

    /** A registry without session limits whose sessions record no meters. */
    public SessionRegistry(ScsiTargetCore core) {
        this(core, Integer.MAX_VALUE, Integer.MAX_VALUE, new LimitEvents(), IscsiMetrics.none());
    }

    /**
     * A registry that refuses a session beyond {@code maxSessions} in total or {@code maxSessionsPerTarget} per target,
     * and whose sessions record in {@code metrics}.
     */
    public SessionRegistry(ScsiTargetCore core, int maxSessions, int maxSessionsPerTarget, LimitEvents events,
                           IscsiMetrics metrics) {
        this.core = core;
        this.maxSessions = maxSessions;
        this.maxSessionsPerTarget = maxSessionsPerTarget;
        this.events = events;
        this.metrics = metrics;
        core.setTaskAborter(this::abortTasks);
    }

    /** PREEMPT AND ABORT from another nexus: the preempted session's tasks on {@code lun} are aborted. */
    private void abortTasks(ItNexus nexus, TargetLun lun, Runnable done) {
        for (Session s : byTsih.values()) {
            FullFeaturePhase c = s.connection;
            if (nexus.equals(s.nexus()) && c != null) {
                c.abortTasksOn(lun, done);
                return;
            }
        }
        done.run(); // no live session of that nexus: it has no tasks
    }

    ScsiTargetCore core() {
        return core;
    }

    /** What the SCSI commands of every session did so far. */
    public IoStatistics statistics() {
        return statistics;
    }

    /**
     * Drops the session with {@code tsih} as an administrator would: the target asks the initiator to log out
     * (Async Message, AsyncEvent 1, {@code graceSeconds} in Parameter3) and ends the session if it has not logged
     * out by then; a session still logging in is ended at once. False when no session has that TSIH.
     */
    public boolean requestLogout(int tsih, int graceSeconds) {
        Session s = byTsih.get(tsih);
        if (s == null) {
            return false;
        }
        FullFeaturePhase c = s.connection;
        if (c == null) {
            close(s, "dropped by the administrator during login");
        } else {
            c.requestLogout(graceSeconds);
        }
        return true;
    }

    /** The iSCSI layer's meters, shared by every connection of every portal. */
    IscsiMetrics metrics() {
        return metrics;
    }

    /**
     * Creates the session a completed leading login asked for, reinstating any session with the same identity; null
     * when a session limit refuses it (the login then fails with 0x0302, out of resources: RFC 7143 §11.13.5 has
     * "insufficient session, connection, or other resources" there; 0x0206 is for connections within a session).
     */
    synchronized Session open(long isid, String initiatorName, SessionType type, ScsiTarget target, int firstCmdSn) {
        for (Session s : byTsih.values()) {
            if (s.isid() == isid && s.initiatorName().equals(initiatorName) && s.type() == type
                    && (target == null ? s.target() == null : s.target() != null && s.target().name().equals(target.name()))) {
                LOG.info("reinstating {}", s);
                close(s, "session reinstatement");
            }
        }
        if (byTsih.size() >= maxSessions) {
            events.reached(Limit.SESSIONS, () -> maxSessions + " sessions; refused " + initiatorName);
            return null;
        }
        if (target != null && byTsih.values().stream().filter(s -> s.target() != null
                && s.target().name().equals(target.name())).count() >= maxSessionsPerTarget) {
            events.reached(Limit.SESSIONS_PER_TARGET, () -> maxSessionsPerTarget + " sessions with " + target.name()
                    + "; refused " + initiatorName);
            return null;
        }
        int tsih;
        do {
            tsih = nextTsih.getAndIncrement() & 0xFFFF;
        } while (tsih == 0 || byTsih.containsKey(tsih));
        Session s = new Session(isid, tsih, initiatorName, type, target, firstCmdSn, WINDOW);
        byTsih.put(tsih, s);
        metrics.sessionOpened(s);
        if (target != null) {
            core.nexusJoined(target, s.nexus());
        }
        return s;
    }

    /** Ends a session: its connection closes, its tasks are dropped, its nexus leaves the target. */
    void close(Session s, String reason) {
        if (byTsih.remove(s.tsih(), s)) {
            s.markClosed();
            metrics.sessionClosed(s);
            FullFeaturePhase c = s.connection;
            if (c != null) {
                c.sessionClosed(reason);
            }
            if (s.target() != null) {
                core.nexusLeft(s.target(), s.nexus());
            }
        }
    }

    /** Ends every session with {@code target} but {@code except} (TARGET COLD RESET, RFC 7143 §11.5.1). */
    void closeTarget(ScsiTarget target, Session except, String reason) {
        for (Session s : byTsih.values()) {
            if (s != except && s.target() != null && s.target().name().equals(target.name())) {
                close(s, reason);
            }
        }
    }

    public Collection<Session> sessions() {
        return List.copyOf(byTsih.values());
    }

    public Session session(int tsih) {
        return byTsih.get(tsih);
    }
}
