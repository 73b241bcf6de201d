package io.vhba.emulator.scsi.disk;

import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * Striped locks over the LBA space. The space is cut into regions of {@code 2^regionShift} blocks; region r is
 * guarded by stripe {@code r mod STRIPES}. A command locks the stripes of every region its range touches, in
 * ascending stripe order (so two commands never deadlock), and never a global lock.
 *
 * <p>{@link Mode#SHARED} is for ordinary reads and writes, which SAM-5 lets run concurrently; {@link Mode#EXCLUSIVE}
 * is for commands that must be atomic against every other command touching the range (COMPARE AND WRITE, ORWRITE,
 * WRITE ATOMIC, WRITE AND VERIFY, deallocation) and for whole-medium operations.
 */
final class RangeLock {

    enum Mode { SHARED, EXCLUSIVE }

    static final int STRIPES = 256;
    private static final int WORDS = STRIPES / 64;

    private final ReadWriteLock[] stripes = new ReadWriteLock[STRIPES];
    private final int regionShift;

    /** @param regionShift log2 of the region size in blocks */
    RangeLock(int regionShift) {
        this.regionShift = regionShift;
        for (int i = 0; i < STRIPES; i++) {
            stripes[i] = new ReentrantReadWriteLock();
        }
    }

    /** Locks {@code [lba, lba + blocks)}; a zero-length range takes no lock. Release with {@link Held#close()}. */
    Held lock(long lba, long blocks, Mode mode) {
        if (blocks > 0 && (lba >>> regionShift) == ((lba + blocks - 1) >>> regionShift) && lba + blocks - 1 >= lba) {
            // One region, the common case for a data transfer: one stripe, no stripe set to build.
            int s = (int) ((lba >>> regionShift) & (STRIPES - 1));
            lockOf(s, mode).lock();
            return new Held(null, s, mode);
        }
        long[] set = new long[WORDS];
        if (blocks > 0) {
            long first = lba >>> regionShift;
            long last = (lba + blocks - 1) >>> regionShift;
            if (last - first + 1 >= STRIPES || last < first) {
                java.util.Arrays.fill(set, -1L);
            } else {
                for (long r = first; r <= last; r++) {
                    int s = (int) (r & (STRIPES - 1));
                    set[s >>> 6] |= 1L << (s & 63);
                }
            }
        }
        return acquire(set, mode);
    }

    /** Locks the whole medium. */
    Held lockAll(Mode mode) {
        long[] set = new long[WORDS];
        java.util.Arrays.fill(set, -1L);
        return acquire(set, mode);
    }

    private Held acquire(long[] set, Mode mode) {
        for (int s = 0; s < STRIPES; s++) {
            if ((set[s >>> 6] & (1L << (s & 63))) != 0) {
                lockOf(s, mode).lock();
            }
        }
        return new Held(set, -1, mode);
    }

    private java.util.concurrent.locks.Lock lockOf(int stripe, Mode mode) {
        return mode == Mode.SHARED ? stripes[stripe].readLock() : stripes[stripe].writeLock();
    }

    /** A held set of stripes. */
    final class Held implements AutoCloseable {
        /** The stripes held, or null when only {@link #single} is. */
        private final long[] set;
        private final int single;
        private final Mode mode;
        private boolean released;

        private Held(long[] set, int single, Mode mode) {
            this.set = set;
            this.single = single;
            this.mode = mode;
        }

        @Override
        public void close() {
            if (released) {
                return;
            }
            released = true;
            if (set == null) {
                lockOf(single, mode).unlock();
                return;
            }
            for (int s = STRIPES - 1; s >= 0; s--) {
                if ((set[s >>> 6] & (1L << (s & 63))) != 0) {
                    lockOf(s, mode).unlock();
                }
            }
        }
    }
}
