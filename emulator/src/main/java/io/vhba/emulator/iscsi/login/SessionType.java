package io.vhba.emulator.iscsi.login;

import java.util.Optional;

/** The SessionType key (RFC 7143 §13.21). */
public enum SessionType {
    DISCOVERY("Discovery"),
    NORMAL("Normal");

    private final String value;

    SessionType(String value) {
        this.value = value;
    }

    /** The text value on the wire. */
    public String value() {
        return value;
    }

    public static Optional<SessionType> of(String value) {
        for (SessionType type : values()) {
            if (type.value.equals(value)) {
                return Optional.of(type);
            }
        }
        return Optional.empty();
    }
}
