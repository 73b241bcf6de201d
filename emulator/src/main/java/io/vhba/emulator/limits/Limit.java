package io.vhba.emulator.limits;

/**
 * The limits that keep one initiator (or one attacker) from exhausting what every session shares, each with the
 * configuration key that sets it and the answer an initiator gets when it reaches it. docs/security.md lists them
 * with their defaults.
 */
public enum Limit {
    SESSIONS("maxSessions", 256, "sessions in total", "login refused with 0x0302 (out of resources)"),
    SESSIONS_PER_TARGET("maxSessionsPerTarget", 64, "sessions per target", "login refused with 0x0302 (out of resources)"),
    /** Fixed: the target negotiates MaxConnections=1 (RFC 7143 §13.2). */
    CONNECTIONS_PER_SESSION("MaxConnections", 1, "connections per session",
            "login refused with 0x0206 (too many connections)"),
    LOGINS_IN_PROGRESS("maxLoginsInProgress", 128, "connections still in login, all portals",
            "the connection longest in login is closed"),
    LOGINS_IN_PROGRESS_PER_PORTAL("maxLoginsInProgressPerPortal", 64, "connections still in login on one portal",
            "the connection longest in login on that portal is closed"),
    LOGIN_TIMEOUT("loginTimeoutSeconds", 15, "seconds to finish a login", "the connection is closed"),
    CONNECTION_WRITE_BUFFER("connectionWriteBuffer", 4L << 20, "answers queued for an initiator that does not read them",
            "the target stops reading that connection until the initiator catches up"),
    SESSION_HOST_MEMORY("sessionHostMemory", 64L << 20, "host memory one session's commands hold",
            "the command ends with TASK SET FULL"),
    SESSION_OUTSTANDING_R2T("maxOutstandingR2tPerSession", 64, "R2Ts outstanding in one session",
            "further R2Ts wait until earlier bursts arrive"),
    SESSION_QUEUED_COMMAND_DATA("sessionQueuedCommandData", 8L << 20,
            "immediate data of commands waiting for a CmdSN gap to fill", "the connection is closed"),
    /** Linux and libiscsi send about 20 pairs in their longest text (RFC 7143 §6.1). */
    TEXT_PAIRS("maxTextPairs", 128, "key=value pairs in one login or text request (its Continue PDUs joined)",
            "login fails with 0x0200 (initiator error); a Text request gets a Reject (protocol error)"),
    LOGIN_PAIRS("maxLoginPairs", 512, "key=value pairs across all the requests of one login",
            "login fails with 0x0200 (initiator error)"),
    /** RFC 7143 §6.1 asks a node to accept at least 8192 bytes, and more where authentication items are long. */
    TEXT_BYTES("maxTextBytes", 64L << 10, "bytes of one login or text request across its Continue PDUs",
            "login fails with 0x0200 (initiator error); a Text request gets a Reject (protocol error)");

    private final String key;
    private final long defaultValue;
    private final String what;
    private final String answer;

    Limit(String key, long defaultValue, String what, String answer) {
        this.key = key;
        this.defaultValue = defaultValue;
        this.what = what;
        this.answer = answer;
    }

    /** The value when the configuration does not set one (a count, bytes or seconds, as {@link #what} says). */
    public long defaultValue() {
        return defaultValue;
    }

    /** The configuration key ({@code limits.<key>} in YAML). */
    public String key() {
        return key;
    }

    /** What the limit bounds, in a few words. */
    public String what() {
        return what;
    }

    /** What happens when it is reached. */
    public String answer() {
        return answer;
    }
}
