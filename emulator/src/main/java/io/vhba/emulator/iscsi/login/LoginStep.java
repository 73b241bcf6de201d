package io.vhba.emulator.iscsi.login;

import io.vhba.emulator.iscsi.pdu.LoginResponse;
import java.util.Objects;

/**
 * The answer to one Login Request: the response to send (its data buffer is the caller's to send
 * and release) and what it means for the connection.
 */
public record LoginStep(LoginResponse response, LoginOutcome outcome) {

    public LoginStep {
        Objects.requireNonNull(response, "response");
        Objects.requireNonNull(outcome, "outcome");
    }
}
