package io.vhba.emulator.iscsi.session;

import io.vhba.emulator.iscsi.pdu.InitiatorPdu;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The session's command window (RFC 7143 §3.2.2.1, §4.2.2.1). Non-immediate commands are
 * delivered in CmdSN order; one that arrives early waits for the gap to fill; one outside
 * [ExpCmdSN, MaxCmdSN] is silently ignored. Immediate commands are delivered at once and do
 * not advance ExpCmdSN. Confined to the session's event loop.
 */
final class CmdSnWindow {
    private final int size;
    private int expCmdSn;
    /** Early commands by CmdSN. */
    private final Map<Integer, InitiatorPdu> early = new HashMap<>();
    /** Data-segment bytes the early commands hold (their immediate data). */
    private long earlyBytes;
    private long ignored;

    CmdSnWindow(int initialCmdSn, int size) {
        if (size < 1) {
            throw new IllegalArgumentException("window size " + size);
        }
        this.expCmdSn = initialCmdSn;
        this.size = size;
    }

    int expCmdSn() {
        return expCmdSn;
    }

    /** MaxCmdSN: the window stays {@code size} commands wide. */
    int maxCmdSn() {
        return expCmdSn + size - 1;
    }

    /** Commands dropped because their CmdSN was outside the window. */
    long ignored() {
        return ignored;
    }

    int waiting() {
        return early.size();
    }

    /** Data-segment bytes held by commands waiting for an earlier CmdSN. */
    long earlyBytes() {
        return earlyBytes;
    }

    /** Whether {@link #offer} would queue this PDU until an earlier CmdSN arrives. */
    boolean wouldQueue(InitiatorPdu pdu, int cmdSn) {
        return !pdu.immediate() && cmdSn != expCmdSn && SerialNumber.inWindow(cmdSn, expCmdSn, maxCmdSn())
                && !early.containsKey(cmdSn);
    }

    /**
     * Accepts a PDU carrying {@code cmdSn}. Delivers it (and any waiting successors) in order,
     * queues it if early, or drops it (returns false; the caller releases it) if outside the window.
     */
    boolean offer(InitiatorPdu pdu, int cmdSn, Consumer<InitiatorPdu> deliver) {
        if (pdu.immediate()) {
            deliver.accept(pdu);
            return true;
        }
        if (!SerialNumber.inWindow(cmdSn, expCmdSn, maxCmdSn())) {
            ignored++;
            return false;
        }
        if (cmdSn != expCmdSn) {
            if (early.putIfAbsent(cmdSn, pdu) != null) {
                ignored++;
                return false; // a duplicate CmdSN: the first one stands
            }
            earlyBytes += pdu.data().readableBytes();
            return true;
        }
        expCmdSn++;
        deliver.accept(pdu);
        InitiatorPdu next;
        // In order (the usual case) nothing waits: no boxed CmdSN, no lookup.
        while (!early.isEmpty() && (next = early.remove(expCmdSn)) != null) {
            earlyBytes -= next.data().readableBytes();
            expCmdSn++;
            deliver.accept(next);
        }
        return true;
    }

    /** Drops every waiting command (connection closing); each is passed to {@code dropped}. */
    void clear(Consumer<InitiatorPdu> dropped) {
        early.values().forEach(dropped);
        early.clear();
        earlyBytes = 0;
    }
}
