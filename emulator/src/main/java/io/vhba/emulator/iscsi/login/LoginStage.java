package io.vhba.emulator.iscsi.login;

import java.util.Optional;

/** The login stages of the CSG and NSG fields (RFC 7143 §11.12.3); code 2 is reserved. */
public enum LoginStage {
    SECURITY_NEGOTIATION(0),
    LOGIN_OPERATIONAL_NEGOTIATION(1),
    FULL_FEATURE_PHASE(3);

    private final int code;

    LoginStage(int code) {
        this.code = code;
    }

    /** The 2-bit value of the CSG/NSG field. */
    public int code() {
        return code;
    }

    /** The stage of a CSG/NSG value; empty for the reserved value 2 and anything out of range. */
    public static Optional<LoginStage> of(int code) {
        for (LoginStage stage : values()) {
            if (stage.code == code) {
                return Optional.of(stage);
            }
        }
        return Optional.empty();
    }
}
