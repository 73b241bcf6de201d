package io.vhba.emulator.kernel;

import java.util.concurrent.locks.ReentrantLock;

/**
 * A kernel spin lock with the IRQL it raises to and a rank for lock-order checks
 * (Storport's order: DPC lock 1, StartIo lock 2, interrupt and MSI locks 3).
 *
 * <p>Contention blocks rather than spins: on a 2-core box a spinning waiter would steal the
 * holder's CPU. Semantics are unchanged, since no routine may wait while holding one.
 */
public final class KSpinLock {
    public static final int RANK_DPC = 1;
    public static final int RANK_START_IO = 2;
    public static final int RANK_INTERRUPT = 3;
    /** Locks of the engine's own that miniport code never sees; not order-checked. */
    public static final int RANK_NONE = 0;

    private final String name;
    private final int level;
    private final int rank;
    private final ReentrantLock lock = new ReentrantLock();
    /** When the holder took it, for the timeline (written and read by the holder only). */
    long heldSince;

    public KSpinLock(String name, int level, int rank) {
        this.name = name;
        this.level = level;
        this.rank = rank;
    }

    public String name() {
        return name;
    }

    /** The IRQL holding this lock runs at. */
    public int level() {
        return level;
    }

    public int rank() {
        return rank;
    }

    public boolean isHeldByCurrentThread() {
        return lock.isHeldByCurrentThread();
    }

    public boolean isLocked() {
        return lock.isLocked();
    }

    /** Whether some thread waits to acquire it (for tests that prove serialisation). */
    public boolean hasWaiters() {
        return lock.hasQueuedThreads();
    }

    void lock() {
        lock.lock();
    }

    boolean tryLock() {
        return lock.tryLock();
    }

    void unlock() {
        lock.unlock();
    }

    @Override
    public String toString() {
        return name + "@" + Irql.name(level);
    }
}
