package io.vhba.emulator.scsi.disk;

import java.util.concurrent.atomic.AtomicLong;

/**
 * How many bytes of the JVM's heap RAM disks may hold, shared by every {@link SparseRamStore} drawing on it. A thick
 * LUN reserves its whole capacity when it is created (and is refused when that does not fit); a thin one takes a
 * chunk's worth when the chunk is first written and gives it back when the chunk is deallocated or the store closes.
 * So running out is known before the heap is: the write that would need more answers DATA PROTECT / SPACE ALLOCATION
 * FAILED WRITE PROTECT (SBC-4 4.7.3.6) instead of an {@link OutOfMemoryError} somewhere on a processor.
 */
public final class RamBudget {

    /** Heap kept back from RAM disks for everything else the target holds: sessions, SRBs, staging, the JIT's data. */
    static final long FIXED_RESERVE = 64L << 20;

    /** No limit: stores built without a budget (unit tests, tools). */
    public static final RamBudget UNLIMITED = new RamBudget(Long.MAX_VALUE);

    private static volatile RamBudget heap;

    private final long limit;
    private final AtomicLong used = new AtomicLong();

    RamBudget(long limit) {
        this.limit = limit;
    }

    /**
     * The budget of this JVM: its maximum heap less 64 MiB and an eighth of the heap. One per JVM, because every target
     * started in it shares the heap.
     */
    public static RamBudget heap() {
        RamBudget b = heap;
        if (b == null) {
            synchronized (RamBudget.class) {
                if (heap == null) {
                    heap = new RamBudget(forHeap(Runtime.getRuntime().maxMemory()));
                }
                b = heap;
            }
        }
        return b;
    }

    /** What RAM disks may take from a heap of {@code maxHeapBytes}. */
    static long forHeap(long maxHeapBytes) {
        return Math.max(0, maxHeapBytes - FIXED_RESERVE - maxHeapBytes / 8);
    }

    public long limit() {
        return limit;
    }

    public long used() {
        return used.get();
    }

    public long available() {
        return Math.max(0, limit - used.get());
    }

    /** Takes {@code bytes} if they fit; false (and nothing taken) otherwise. */
    boolean tryTake(long bytes) {
        if (limit == Long.MAX_VALUE) {
            return true;
        }
        long u;
        do {
            u = used.get();
            if (bytes > limit - u) {
                return false;
            }
        } while (!used.compareAndSet(u, u + bytes));
        return true;
    }

    /** Returns what {@link #tryTake} took. */
    void give(long bytes) {
        if (limit != Long.MAX_VALUE && bytes > 0) {
            used.addAndGet(-bytes);
        }
    }

    /** A size as people read it in a log or error line: "512 MiB", "3.5 GiB". */
    public static String describe(long bytes) {
        return Sizes.mib(bytes);
    }

    @Override
    public String toString() {
        return limit == Long.MAX_VALUE ? "unlimited" : Sizes.mib(used.get()) + " of " + Sizes.mib(limit);
    }

    /** Sizes as people read them in an error line. */
    static final class Sizes {
        private Sizes() {}

        static String mib(long bytes) {
            if (bytes >= (1L << 30)) {
                return String.format(java.util.Locale.ROOT, "%.1f GiB", bytes / (double) (1L << 30));
            }
            return String.format(java.util.Locale.ROOT, "%d MiB", bytes >> 20);
        }
    }
}
