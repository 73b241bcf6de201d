package io.vhba.emulator.fault;

/** Logical blocks {@code first..last}, both included. */
public record LbaRange(long first, long last) {

    public LbaRange {
        if (first < 0 || last < first) {
            throw new IllegalArgumentException("LBA range " + first + "-" + last + " is empty or negative");
        }
    }

    /** The first block of this range among {@code lba .. lba+blocks-1}, or -1 if they do not meet. */
    public long firstIn(long lba, long blocks) {
        if (blocks <= 0) {
            return -1;
        }
        long end = lba + blocks - 1;
        if (end < first || lba > last) {
            return -1;
        }
        return Math.max(lba, first);
    }

    @Override
    public String toString() {
        return first == last ? Long.toString(first) : first + "-" + last;
    }
}
