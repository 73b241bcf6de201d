package io.vhba.emulator.kernel;

import java.util.concurrent.locks.ReentrantLock;

/**
 * A kernel spin lock with the IRQL it raises to and a rank for lock-order checks
 * (Storport's order: DPC lock 1, StartIo lock 2, interrupt and MSI locks 3).
 *
 * <p>Contention spins briefly, then blocks: the sections these locks guard (StartIo, an ISR, a
 * DPC's bookkeeping) last a microsecond or two, and parking a processor thread costs two futex
 * calls and a context switch, more than the wait itself. A waiter that keeps finding the lock
 * held stops spinning after {@link #SPINS} tries, so on a 2-core box it cannot steal the CPU of
 * a holder that was descheduled. Semantics are unchanged, since no routine may wait while holding one.
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
    /** Tries before a contended acquire blocks: a few microseconds, about one StartIo. */
    static final int SPINS = 200;

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
        if (lock.tryLock()) {
            return;
        }
        for (int i = 0; i < SPINS; i++) {
            Thread.onSpinWait();
            if (!lock.isLocked() && lock.tryLock()) {
                return;
            }
        }
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
