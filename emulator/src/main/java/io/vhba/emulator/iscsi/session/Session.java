package io.vhba.emulator.iscsi.session;

import io.vhba.emulator.iscsi.login.SessionType;

import io.vhba.emulator.scsi.core.ItNexus;
import io.vhba.emulator.scsi.core.ScsiTarget;
import java.time.Instant;

/**
 * An iSCSI session (RFC 7143 §3.3): its identity (ISID, TSIH), the I_T nexus it is, its command
 * window, and its connection (this target negotiates MaxConnections=1).
 */
public final class Session {
    private final long isid;
    private final int tsih;
    private final String initiatorName;
    private final SessionType type;
    private final ScsiTarget target;
    private final ItNexus nexus;
    final CmdSnWindow window;
    volatile FullFeaturePhase connection;
    private volatile boolean closed;
    private final Instant loginTime = Instant.now();
    /** Written only by the connection's event loop (one writer), read by anyone. */
    private volatile long commands;

    Session(long isid, int tsih, String initiatorName, SessionType type, ScsiTarget target, int firstCmdSn, int window) {
        this.isid = isid;
        this.tsih = tsih;
        this.initiatorName = initiatorName;
        this.type = type;
        this.target = target;
        this.nexus = target == null ? null : ItNexus.iscsi(initiatorName, isid, target.name(), target.portalGroupTag());
        this.window = new CmdSnWindow(firstCmdSn, window);
    }

    public long isid() {
        return isid;
    }

    public int tsih() {
        return tsih;
    }

    public String initiatorName() {
        return initiatorName;
    }

    public SessionType type() {
        return type;
    }

    /** The target of a normal session; null for discovery. */
    public ScsiTarget target() {
        return target;
    }

    public ItNexus nexus() {
        return nexus;
    }

    /** When the leading login completed. */
    public Instant loginTime() {
        return loginTime;
    }

    /** SCSI commands this session has sent so far. */
    public long commands() {
        return commands;
    }

    void countCommand() {
        commands = commands + 1; // single writer: the connection's event loop
    }

    /** The portal the session's connection came in on ({@code HOST:PORT}), or null before full feature phase. */
    public String portal() {
        FullFeaturePhase c = connection;
        return c == null ? null : c.localPortal();
    }

    /** The initiator's address and port, or null before full feature phase. */
    public String remoteAddress() {
        FullFeaturePhase c = connection;
        return c == null ? null : c.remoteAddress();
    }

    boolean isClosed() {
        return closed;
    }

    void markClosed() {
        closed = true;
    }

    @Override
    public String toString() {
        return String.format("session TSIH %d ISID 0x%012x %s -> %s", tsih, isid, initiatorName,
                target == null ? "(discovery)" : target.name());
    }
}
