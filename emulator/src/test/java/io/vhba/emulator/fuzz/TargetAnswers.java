package io.vhba.emulator.fuzz;

import io.vhba.emulator.iscsi.codec.MalformedPdu;
import io.vhba.emulator.iscsi.pdu.Reject;
import io.vhba.emulator.iscsi.pdu.TargetPdu;

/** The checks every fuzzer applies to what the target wrote. */
final class TargetAnswers {
    private TargetAnswers() {}

    /**
     * Fails unless {@code m} is a well-formed target PDU: the client decoder read it without a defect, and
     * a Reject carries the rejected header (48 bytes, RFC 7143 §11.17.4).
     */
    static TargetPdu wellFormed(Object m, String context) {
        if (m instanceof MalformedPdu bad) {
            throw new AssertionError(context + ": the target wrote a malformed PDU: " + bad);
        }
        if (m instanceof Throwable t) {
            throw new AssertionError(context + ": the client pipeline failed on the target's bytes", t);
        }
        if (!(m instanceof TargetPdu pdu)) {
            throw new AssertionError(context + ": unexpected " + m);
        }
        if (pdu instanceof Reject r && r.data().readableBytes() != Frames.BHS) {
            throw new AssertionError(context + ": a Reject with a " + r.data().readableBytes() + "-byte data segment");
        }
        return pdu;
    }
}
