package io.vhba.emulator.iscsi.session;

/** RFC 7143 §13.21 SessionType. */
public enum SessionType {
    DISCOVERY,
    NORMAL
}
