package io.vhba.emulator.scsi.disk;

import java.nio.ByteBuffer;

/**
 * Per-thread staging buffers between host memory and the store, so a transfer of any size streams through a fixed
 * {@link #CHUNK} instead of a buffer of the transfer's size. Two are kept because compare-style commands (VERIFY,
 * COMPARE AND WRITE, ORWRITE) hold medium data and host data side by side.
 */
final class Staging {

    /** A multiple of every supported block size. */
    static final int CHUNK = 256 * 1024;

    private static final ThreadLocal<Staging> CURRENT = ThreadLocal.withInitial(Staging::new);

    private final ByteBuffer first = ByteBuffer.allocate(CHUNK);
    private final ByteBuffer second = ByteBuffer.allocate(CHUNK);

    static Staging get() {
        return CURRENT.get();
    }

    /** The first buffer, cleared and limited to {@code n} bytes. */
    ByteBuffer first(int n) {
        return first.clear().limit(n);
    }

    /** The second buffer, cleared and limited to {@code n} bytes. */
    ByteBuffer second(int n) {
        return second.clear().limit(n);
    }
}
