package io.vhba.emulator.iscsi.session;

import io.vhba.emulator.iscsi.login.SessionType;

import io.netty.buffer.Unpooled;
import io.vhba.emulator.iscsi.login.TextCodec;
import io.vhba.emulator.iscsi.login.TextFormatException;
import io.vhba.emulator.iscsi.login.TextLimits;
import io.vhba.emulator.iscsi.login.TextPair;
import io.vhba.emulator.iscsi.login.TextReassembler;
import io.vhba.emulator.iscsi.login.TextSegmenter;
import io.vhba.emulator.iscsi.pdu.Pdu;
import io.vhba.emulator.iscsi.pdu.RejectReason;
import io.vhba.emulator.iscsi.pdu.TextRequest;
import io.vhba.emulator.iscsi.pdu.TextResponse;
import io.vhba.emulator.limits.Limit;
import io.vhba.emulator.limits.LimitEvents;
import io.vhba.emulator.scsi.core.ScsiTarget;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Text requests in full feature phase (RFC 7143 §11.10-§11.11): SendTargets (§13.3, appendix C)
 * and long answers delivered in pieces. A request split with the C bit is reassembled first; an
 * answer longer than the initiator's MaxRecvDataSegmentLength goes out with C set and a TTT the
 * initiator echoes in an empty request to fetch the next piece.
 */
final class TextExchange {
    private final ConnectionIo io;
    private final Session session;
    private final TargetCatalog catalog;
    private final TargetTransferTags tags;
    private final TextReassembler reassembler;
    private final TextLimits limits;
    private final LimitEvents events;
    private final ArrayDeque<byte[]> pending = new ArrayDeque<>();
    private int pendingTtt = Pdu.RESERVED_TAG;
    private int pendingItt;
    private IoParameters params;

    TextExchange(ConnectionIo io, Session session, TargetCatalog catalog, TargetTransferTags tags, IoParameters params,
                 TextLimits limits, LimitEvents events) {
        this.io = io;
        this.limits = limits;
        this.events = events;
        this.reassembler = new TextReassembler(limits.maxTextBytes());
        this.session = session;
        this.catalog = catalog;
        this.tags = tags;
        this.params = params;
    }

    void onTextRequest(TextRequest r) {
        try {
            if (r.ttt() != Pdu.RESERVED_TAG) {
                if (r.ttt() == pendingTtt && r.itt() == pendingItt && !pending.isEmpty()) {
                    sendNext(r);
                } else {
                    session.connection.reject(r, RejectReason.INVALID_PDU_FIELD);
                }
                return;
            }
            pending.clear();
            Optional<byte[]> whole;
            try {
                whole = reassembler.append(r.data(), r.cont());
            } catch (TextFormatException e) {
                reassembler.reset();
                limitReached(Limit.TEXT_BYTES);
                session.connection.reject(r, RejectReason.PROTOCOL_ERROR);
                return;
            }
            if (whole.isEmpty()) {
                // The initiator continues its request: acknowledge with an empty, non-final response.
                io.send(new TextResponse(false, false, r.lun(), r.itt(), Pdu.RESERVED_TAG, io.nextStatSn(),
                        session.window.expCmdSn(), session.window.maxCmdSn(), Unpooled.EMPTY_BUFFER));
                io.flushSoon();
                return;
            }
            List<TextPair> answer;
            try {
                answer = answer(TextCodec.decode(whole.get(), limits.maxPairsPerText()));
            } catch (TextFormatException e) {
                if (e.reason() == TextFormatException.Reason.TOO_MANY_KEYS) {
                    limitReached(Limit.TEXT_PAIRS);
                }
                session.connection.reject(r, RejectReason.PROTOCOL_ERROR);
                return;
            }
            pending.addAll(TextSegmenter.split(TextCodec.encode(answer), params.initiatorMaxRecvDataSegmentLength()));
            if (pending.isEmpty()) {
                pending.add(new byte[0]);
            }
            pendingItt = r.itt();
            sendNext(r);
        } finally {
            r.release();
        }
    }

    private void limitReached(Limit limit) {
        events.reached(limit, () -> "session " + session + ": a Text request past " + limit.key() + " (" + limit.what()
                + "), rejected");
    }

    private void sendNext(TextRequest r) {
        byte[] chunk = pending.pollFirst();
        boolean more = !pending.isEmpty();
        pendingTtt = more ? tags.next() : Pdu.RESERVED_TAG;
        io.send(new TextResponse(!more, more, r.lun(), r.itt(), pendingTtt, io.nextStatSn(), session.window.expCmdSn(),
                session.window.maxCmdSn(), Unpooled.wrappedBuffer(chunk)));
        io.flushSoon();
    }

    private List<TextPair> answer(List<TextPair> request) {
        List<TextPair> out = new ArrayList<>();
        for (TextPair p : request) {
            if (p.key().equals("SendTargets")) {
                sendTargets(p.value(), out);
            } else {
                // Operational keys are negotiated at login only here; say so per key (RFC 7143 §6.2).
                out.add(new TextPair(p.key(), "NotUnderstood"));
            }
        }
        return out;
    }

    /**
     * SendTargets (RFC 7143 §13.3, appendix C): "All" lists every target in a discovery session
     * and the session's own target in a normal one; a name lists that target; an empty value
     * lists the session's target.
     */
    private void sendTargets(String value, List<TextPair> out) {
        List<ScsiTarget> list = new ArrayList<>();
        boolean discovery = session.type() == SessionType.DISCOVERY;
        if (value.equals("All")) {
            if (discovery) {
                list.addAll(catalog.targetsFor(session.initiatorName())); // an initiator learns only its own targets
            } else {
                list.add(session.target());
            }
        } else if (value.isEmpty()) {
            if (!discovery) {
                list.add(session.target());
            }
        } else {
            ScsiTarget t = catalog.target(value);
            if (t != null && (discovery ? t.acl().admits(session.initiatorName()) : t == session.target())) {
                list.add(t);
            }
        }
        for (ScsiTarget t : list) {
            out.add(new TextPair("TargetName", t.name()));
            for (String addr : catalog.addresses(t, io.localPortal())) {
                out.add(new TextPair("TargetAddress", addr));
            }
        }
    }
}
