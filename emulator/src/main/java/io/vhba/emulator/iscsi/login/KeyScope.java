package io.vhba.emulator.iscsi.login;

/** The "Scope" line of RFC 7143 §12-13. */
public enum KeyScope {
    /** SW: the value holds for the whole session. */
    SESSION,
    /** CO: the value holds for one connection. */
    CONNECTION
}
