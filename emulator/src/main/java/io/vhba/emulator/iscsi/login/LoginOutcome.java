package io.vhba.emulator.iscsi.login;

import java.util.Objects;

/** What a Login Response means for the connection. */
public sealed interface LoginOutcome permits LoginOutcome.Continue, LoginOutcome.Complete, LoginOutcome.Fail {

    /** The login goes on: send the response and wait for the next Login Request. */
    record Continue() implements LoginOutcome {
    }

    /**
     * The response is the Login Final-Response: after sending it the connection is in the full
     * feature phase with these parameters.
     */
    record Complete(NegotiatedLogin login, int tsih) implements LoginOutcome {
        public Complete {
            Objects.requireNonNull(login, "login");
        }
    }

    /**
     * The login failed: send the response (status {@code status}), then close the connection
     * (RFC 7143 §11.13.5). {@code reason} is for logs and never contains secrets.
     */
    record Fail(LoginStatus status, String reason) implements LoginOutcome {
        public Fail {
            Objects.requireNonNull(status, "status");
            Objects.requireNonNull(reason, "reason");
        }
    }
}
