package io.vhba.emulator.iscsi.session;

import io.vhba.emulator.iscsi.pdu.RejectReason;

/** A Data-Out PDU that breaks the sequence rules (RFC 7143 §11.7); the connection rejects it. */
final class DataOutProblem extends Exception {
    private static final long serialVersionUID = 1L;
    private final RejectReason reason;

    DataOutProblem(RejectReason reason, String message) {
        super(message, null, false, false);
        this.reason = reason;
    }

    RejectReason reason() {
        return reason;
    }
}
