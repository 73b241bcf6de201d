package io.vhba.emulator.iscsi.login;

/**
 * Ends a login with a non-zero status (RFC 7143 §11.13.5). The message explains the cause for logs
 * and never carries a secret, a challenge or a response.
 */
final class LoginException extends RuntimeException {

    private final LoginStatus status;

    LoginException(LoginStatus status, String message) {
        super(message);
        if (status == LoginStatus.SUCCESS) {
            throw new IllegalArgumentException("a login failure needs a failure status");
        }
        this.status = status;
    }

    LoginStatus status() {
        return status;
    }
}
