package io.vhba.emulator.iscsi.login;

/**
 * Implemented by the session layer: called once, when a login is about to complete, to decide
 * between a new session, the reinstatement of the initiator's session with the same ISID, or the
 * addition of a connection, and to assign the TSIH of the Login Final-Response (RFC 7143 §6.3,
 * §11.12.6).
 */
@FunctionalInterface
public interface SessionBinder {

    SessionBinding bind(NegotiatedLogin login);
}
