package io.vhba.emulator.iscsi.login;

/** The "Senders" line of RFC 7143 §12-13: who may originate the key. */
public enum KeySender {
    INITIATOR,
    TARGET,
    BOTH
}
