package io.vhba.emulator.iscsi.session;

import io.vhba.emulator.limits.Limit;

/**
 * The transport's limits against exhaustion (see {@link Limit} for what each bounds and what happens at it).
 *
 * @param maxSessions                  live sessions, normal and discovery, in total
 * @param maxSessionsPerTarget         live normal sessions of one target
 * @param maxLoginsInProgress          connections still in login, over every portal
 * @param maxLoginsInProgressPerPortal connections still in login on one portal
 * @param writeBufferBytes             bytes queued for a connection above which the target stops reading it
 *                                     (it reads again below half of it)
 * @param maxOutstandingR2tPerSession  R2Ts awaiting their Data-Out in one session
 * @param queuedCommandDataBytes       immediate data a session's early commands (waiting for a CmdSN gap) may hold
 */
public record PortalLimits(int maxSessions, int maxSessionsPerTarget, int maxLoginsInProgress,
                           int maxLoginsInProgressPerPortal, int writeBufferBytes, int maxOutstandingR2tPerSession,
                           long queuedCommandDataBytes) {

    public PortalLimits {
        positive("maxSessions", maxSessions);
        positive("maxSessionsPerTarget", maxSessionsPerTarget);
        positive("maxLoginsInProgress", maxLoginsInProgress);
        positive("maxLoginsInProgressPerPortal", maxLoginsInProgressPerPortal);
        positive("writeBufferBytes", writeBufferBytes);
        positive("maxOutstandingR2tPerSession", maxOutstandingR2tPerSession);
        positive("queuedCommandDataBytes", queuedCommandDataBytes);
    }

    /** The defaults of {@link Limit}. */
    public static PortalLimits defaults() {
        return new PortalLimits((int) Limit.SESSIONS.defaultValue(), (int) Limit.SESSIONS_PER_TARGET.defaultValue(),
                (int) Limit.LOGINS_IN_PROGRESS.defaultValue(), (int) Limit.LOGINS_IN_PROGRESS_PER_PORTAL.defaultValue(),
                (int) Limit.CONNECTION_WRITE_BUFFER.defaultValue(), (int) Limit.SESSION_OUTSTANDING_R2T.defaultValue(),
                Limit.SESSION_QUEUED_COMMAND_DATA.defaultValue());
    }

    private static void positive(String name, long value) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be positive, got " + value);
        }
    }
}
