package io.vhba.emulator.iscsi.login;

/** When a key may be sent: the "Use" line of RFC 7143 §12-13. */
public enum KeyUse {
    /** IO: during the login of any connection. */
    INITIALIZE_ONLY,
    /** LO: only during the leading login of a session. */
    LEADING_ONLY,
    /** ALL: during login and in the full feature phase. */
    ALL,
    /** FFPO: only in the full feature phase (Text Requests). */
    FULL_FEATURE_ONLY,
    /** During login, in the security negotiation stage (§12). */
    SECURITY_NEGOTIATION
}
