package io.vhba.emulator.scsi.disk;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The in-memory provisioning bitmap of a {@link FileStore}: one bit per granule, set when mapped, with a dirty bit per
 * 64-bit word so a flush persists only the words that changed since the last one ({@link MapJournal} logs them).
 * Lock-free: bits change by compare-and-set, and a change marks its word dirty only after the word itself changed,
 * so {@link #takeDirty()} (which clears a dirty bit before it reads the word) never misses a change: one made after
 * the read leaves its dirty bit set for the next flush.
 */
final class ProvisioningMap {

    private final long granules;
    private final AtomicLongArray bits;
    /** One bit per word of {@link #bits}. */
    private final AtomicLongArray dirty;
    /** Set after any dirty bit: a flush with nothing to persist costs one read. */
    private final AtomicBoolean anyDirty = new AtomicBoolean();

    ProvisioningMap(long granules) {
        if (granules <= 0 || wordsFor(granules) > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("granule count " + granules + " out of range");
        }
        this.granules = granules;
        this.bits = new AtomicLongArray((int) wordsFor(granules));
        this.dirty = new AtomicLongArray((int) wordsFor(bits.length()));
    }

    static long wordsFor(long granules) {
        return (granules + 63) >>> 6;
    }

    long granules() {
        return granules;
    }

    int words() {
        return bits.length();
    }

    long word(int i) {
        return bits.get(i);
    }

    boolean isMapped(long g) {
        return (bits.get((int) (g >>> 6)) & (1L << (g & 63))) != 0;
    }

    /** Sets the bit; true (and the word dirty) when it was clear. */
    boolean setMapped(long g) {
        int i = (int) (g >>> 6);
        long bit = 1L << (g & 63);
        long v;
        do {
            v = bits.get(i);
            if ((v & bit) != 0) {
                return false;
            }
        } while (!bits.compareAndSet(i, v, v | bit));
        markDirty(i);
        return true;
    }

    /** Clears the bit; true (and the word dirty) when it was set. */
    boolean clearMapped(long g) {
        int i = (int) (g >>> 6);
        long bit = 1L << (g & 63);
        long v;
        do {
            v = bits.get(i);
            if ((v & bit) == 0) {
                return false;
            }
        } while (!bits.compareAndSet(i, v, v & ~bit));
        markDirty(i);
        return true;
    }

    /** Maps every granule, without marking anything dirty: for a map being built before it is persisted whole. */
    void mapAll() {
        for (int i = 0; i < bits.length(); i++) {
            bits.set(i, validBits(i));
        }
    }

    /** Loads persisted words (bits past the last granule are dropped), without marking anything dirty. */
    void load(long[] words) {
        for (int i = 0; i < bits.length(); i++) {
            bits.set(i, words[i] & validBits(i));
        }
    }

    /** Applies one logged word. */
    void loadWord(int i, long value) {
        bits.set(i, value & validBits(i));
    }

    /** The first granule from {@code g} whose state differs from {@code mapped}, or {@link #granules()}. */
    long nextDiffering(long g, boolean mapped) {
        while (g < granules) {
            int i = (int) (g >>> 6);
            long word = bits.get(i);
            long differing = (mapped ? ~word : word) & (-1L << (g & 63));
            if (differing != 0) {
                return Math.min(granules, ((long) i << 6) + Long.numberOfTrailingZeros(differing));
            }
            g = ((long) i + 1) << 6;
        }
        return granules;
    }

    /** A copy with {@code newGranules} granules: the granules both share keep their state, the rest are unmapped. */
    ProvisioningMap resized(long newGranules) {
        ProvisioningMap m = new ProvisioningMap(newGranules);
        long kept = Math.min(granules, newGranules);
        for (int i = 0, n = (int) wordsFor(kept); i < n; i++) {
            int valid = (int) Math.min(64, kept - ((long) i << 6));
            long word = bits.get(i);
            m.bits.set(i, valid == 64 ? word : word & ((1L << valid) - 1));
        }
        return m;
    }

    /** Words changed since the last call (their dirty bits cleared), or null when none did. */
    DirtyWords takeDirty() {
        if (!anyDirty.getAndSet(false)) {
            return null;
        }
        int[] index = new int[16];
        long[] value = new long[16];
        int n = 0;
        for (int j = 0; j < dirty.length(); j++) {
            if (dirty.get(j) == 0) {
                continue;
            }
            for (long t = dirty.getAndSet(j, 0); t != 0; t &= t - 1) {
                if (n == index.length) {
                    index = Arrays.copyOf(index, n * 2);
                    value = Arrays.copyOf(value, n * 2);
                }
                int i = (j << 6) + Long.numberOfTrailingZeros(t);
                index[n] = i;
                value[n++] = bits.get(i); // read after its dirty bit was cleared
            }
        }
        return n == 0 ? null : new DirtyWords(Arrays.copyOf(index, n), Arrays.copyOf(value, n));
    }

    /** Clears every dirty bit: the caller is about to persist the whole map, read after this. */
    void clearDirty() {
        anyDirty.set(false);
        for (int j = 0; j < dirty.length(); j++) {
            dirty.set(j, 0);
        }
    }

    /** Marks the words again after they could not be persisted. */
    void redirty(DirtyWords words) {
        for (int i : words.index()) {
            markDirty(i);
        }
    }

    /** Marks every word, after the whole map could not be persisted. */
    void redirtyAll() {
        for (int i = 0; i < bits.length(); i++) {
            markDirty(i);
        }
    }

    private void markDirty(int i) {
        int j = i >>> 6;
        long bit = 1L << (i & 63);
        long v;
        do {
            v = dirty.get(j);
        } while ((v & bit) == 0 && !dirty.compareAndSet(j, v, v | bit));
        anyDirty.set(true);
    }

    private long validBits(int i) {
        long valid = Math.min(64, granules - ((long) i << 6));
        return valid == 64 ? -1L : (1L << valid) - 1;
    }

    /** Words of the map and their values when taken, in ascending index order. */
    record DirtyWords(int[] index, long[] value) {
        int size() {
            return index.length;
        }
    }
}
