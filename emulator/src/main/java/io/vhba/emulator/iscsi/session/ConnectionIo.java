package io.vhba.emulator.iscsi.session;

import io.netty.util.concurrent.EventExecutor;
import io.vhba.emulator.iscsi.pdu.TargetPdu;

/**
 * What the full feature phase needs from its connection: sending PDUs (buffered until the next
 * flush), StatSN, the event loop the connection is confined to, and closing.
 */
interface ConnectionIo {

    /** The timeline, or null. */
    default io.vhba.emulator.trace.Tracer trace() {
        return null;
    }

    /** Writes a PDU; it goes out at the next flush. */
    void send(TargetPdu pdu);

    /** Writes a PDU and runs {@code written} once the transport is done with it (sent or failed). */
    void send(TargetPdu pdu, Runnable written);

    /** Arranges a flush at the end of the current batch of work. */
    void flushSoon();

    /** StatSN for a PDU that carries status: the current value, advancing it (RFC 7143 §4.2.2.2). */
    int nextStatSn();

    /** The current StatSN, for PDUs that carry it without advancing it (R2T, unsolicited NOP-In). */
    int currentStatSn();

    EventExecutor executor();

    /** Flushes what is queued, then closes the connection. */
    void closeAfterFlush(String reason);

    /** The local address and port initiators reached this connection on (for SendTargets). */
    String localPortal();

    /** The initiator's address and port ({@code HOST:PORT}). */
    String remoteAddress();
}
