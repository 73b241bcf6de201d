package io.vhba.emulator.iscsi.sim;

import io.netty.buffer.ByteBuf;

/**
 * Where what the target writes on a {@link SimChannel} goes: the real socket in a live run, nowhere in a replay (the
 * timeline keeps it), the initiator in an exploration. A write completes when the sink took it, alike in every mode.
 */
public interface ConnectionSink {

    /** Takes {@code data} (and its reference): it is valid only during the call, so a sink that keeps it copies it. */
    void write(ByteBuf data);

    /** The end of a batch of writes. */
    void flush();

    /** The target closed the connection. */
    void close();

    /** Discards everything (a replay). */
    ConnectionSink DISCARD = new ConnectionSink() {
        @Override
        public void write(ByteBuf data) {
            data.release();
        }

        @Override
        public void flush() {
            // nothing
        }

        @Override
        public void close() {
            // nothing
        }
    };
}
