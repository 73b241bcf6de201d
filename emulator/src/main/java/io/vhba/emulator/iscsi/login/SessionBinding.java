package io.vhba.emulator.iscsi.login;

import java.util.Objects;

/** The session layer's decision on a login about to complete. */
public sealed interface SessionBinding permits SessionBinding.Bound, SessionBinding.Refused {

    /** The connection joins the session with this TSIH (new, reinstated or existing). */
    record Bound(int tsih) implements SessionBinding {
        public Bound {
            // TSIH is 16 bits and 0 is reserved for "no session yet" (RFC 7143 §11.12.6).
            if (tsih < 1 || tsih > 0xFFFF) {
                throw new IllegalArgumentException("TSIH must be 1..65535, got " + tsih);
            }
        }
    }

    /** The login fails with this status, e.g. SESSION_DOES_NOT_EXIST or TOO_MANY_CONNECTIONS. */
    record Refused(LoginStatus status) implements SessionBinding {
        public Refused {
            Objects.requireNonNull(status, "status");
            if (status.statusClass() < 2) {
                throw new IllegalArgumentException("a refusal needs an initiator or target error status");
            }
        }
    }
}
