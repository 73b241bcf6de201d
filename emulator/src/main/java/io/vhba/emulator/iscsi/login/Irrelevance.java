package io.vhba.emulator.iscsi.login;

/** The "Irrelevant when" line of RFC 7143 §13: when the responder answers "Irrelevant". */
public enum Irrelevance {
    NEVER,
    /** Irrelevant when SessionType=Discovery. */
    DISCOVERY_SESSION,
    /**
     * Irrelevant when SessionType=Discovery, or when InitialR2T=Yes and ImmediateData=No, since then
     * no unsolicited data is ever sent (FirstBurstLength, §13.14).
     */
    DISCOVERY_SESSION_OR_NO_UNSOLICITED_DATA
}
