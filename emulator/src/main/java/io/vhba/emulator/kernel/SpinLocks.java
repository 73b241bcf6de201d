package io.vhba.emulator.kernel;

import io.vhba.emulator.kernel.sched.DeterministicScheduler;
import io.vhba.emulator.trace.Tracer;

/**
 * The {@link Kernel}'s IRQL and spin locks ({@code KeRaiseIrql}, {@code KeLowerIrql}, {@code KeAcquireSpinLock},
 * {@code KeReleaseSpinLock}) with their checks: IRQL only rises on a raise and only falls on a lower, a lock is never
 * taken twice nor above its level, and locks of a rank are taken in rank order. Lowering the IRQL below DIRQL hands
 * the processor to the {@link Dispatcher}, which delivers what became deliverable.
 */
final class SpinLocks {
    private final Kernel kernel;
    /** The deterministic scheduler, or null when free-running (the one branch every hook takes). */
    private final DeterministicScheduler det;
    /** The timeline, or null (one check per event site). */
    private final Tracer trace;
    private final Dispatcher dispatcher;

    SpinLocks(Kernel kernel, DeterministicScheduler det, Tracer trace, Dispatcher dispatcher) {
        this.kernel = kernel;
        this.det = det;
        this.trace = trace;
        this.dispatcher = dispatcher;
    }

    // ---- IRQL ---------------------------------------------------------------------------

    /** {@code KeRaiseIrql}: returns the old IRQL. */
    int raiseIrql(int newIrql) {
        KThreadState st = KThreadState.current();
        int old = st.irql;
        if (newIrql < old) {
            kernel.sink().violation(KernelRule.IRQL_NOT_MONOTONIC, old, newIrql, 0, "KeRaiseIrql from " + Irql.name(old) + " to " + Irql.name(newIrql));
            return old;
        }
        st.irql = newIrql;
        return old;
    }

    /** {@code KeLowerIrql}: delivers what became deliverable. */
    void lowerIrql(KThreadState st, int newIrql) {
        if (newIrql > st.irql) {
            kernel.sink().violation(KernelRule.IRQL_NOT_MONOTONIC, st.irql, newIrql, 0, "KeLowerIrql from " + Irql.name(st.irql) + " to " + Irql.name(newIrql));
            return;
        }
        st.irql = newIrql;
        if (newIrql < Irql.DIRQL_MIN && st.processor() != null) {
            dispatcher.dispatch(st);
        }
    }

    // ---- spin locks ---------------------------------------------------------------------

    /** {@code KeAcquireSpinLock}: raises to the lock's level; returns the old IRQL. */
    int acquire(KSpinLock lock) {
        KThreadState st = KThreadState.current();
        if (st.holds(lock)) {
            kernel.sink().violation(KernelRule.SPIN_LOCK_DOUBLE_ACQUIRE, lock.rank(), lock.level(), st.irql, lock + " is already held by this thread (held: " + st.heldLocks() + ")");
            throw new IllegalStateException("deadlock averted: " + lock + " acquired twice");
        }
        KSpinLock inner = st.innermostLock();
        if (lock.rank() != KSpinLock.RANK_NONE && inner != null && inner.rank() != KSpinLock.RANK_NONE
                && inner.rank() >= lock.rank()) {
            kernel.sink().violation(KernelRule.SPIN_LOCK_ORDER, lock.rank(), inner.rank(), st.irql, lock + " acquired while holding " + inner
                    + " (order: DPC lock, StartIo lock, interrupt lock)");
        }
        if (st.irql > lock.level()) {
            kernel.sink().violation(KernelRule.IRQL_TOO_HIGH_FOR_LOCK, lock.rank(), lock.level(), st.irql, lock + " acquired at " + Irql.name(st.irql));
        }
        int old = st.irql;
        if (lock.level() > st.irql) {
            st.irql = lock.level();
        }
        lockSpin(lock, det);
        if (trace != null) {
            lock.heldSince = trace.now();
        }
        st.pushLock(lock);
        return old;
    }

    /**
     * Takes the lock itself. Deterministic mode ({@code det} not null): a contended lock is a scheduling wait, never a
     * JVM block, since its holder is parked at a scheduling point and can only release it once it runs again.
     */
    static void lockSpin(KSpinLock lock, DeterministicScheduler det) {
        if (det == null) {
            lock.lock();
            return;
        }
        while (!lock.tryLock()) {
            det.block(() -> !lock.isLocked(), null);
        }
    }

    /** {@code KeReleaseSpinLock}: lowers to {@code oldIrql}, delivering what became deliverable. */
    void release(KSpinLock lock, int oldIrql) {
        KThreadState st = KThreadState.current();
        if (!st.popLock(lock)) {
            kernel.sink().violation(KernelRule.SPIN_LOCK_RELEASE_NOT_HELD, lock.rank(), lock.level(), st.irql, lock + " released but not held by this thread");
            return;
        }
        if (trace != null) {
            trace.lockHeld(lock.name(), lock.heldSince);
        }
        lock.unlock();
        dispatcher.runPostedWork(st);
        lowerIrql(st, Math.min(oldIrql, st.irql));
    }

    /**
     * Acquires several locks of the same rank as one (an interrupt lock that covers every MSI
     * message): order is checked against what the thread already holds, then they are taken
     * in array order.
     */
    int acquireGroup(KSpinLock[] locks) {
        if (locks.length == 1) {
            return acquire(locks[0]);
        }
        KThreadState st = KThreadState.current();
        KSpinLock inner = st.innermostLock();
        int top = st.irql;
        for (KSpinLock lock : locks) {
            if (st.holds(lock)) {
                kernel.sink().violation(KernelRule.SPIN_LOCK_DOUBLE_ACQUIRE, lock.rank(), lock.level(), st.irql, lock + " is already held by this thread (held: " + st.heldLocks() + ")");
                throw new IllegalStateException("deadlock averted: " + lock + " acquired twice");
            }
            if (lock.rank() != KSpinLock.RANK_NONE && inner != null && inner.rank() != KSpinLock.RANK_NONE
                    && inner.rank() >= lock.rank()) {
                kernel.sink().violation(KernelRule.SPIN_LOCK_ORDER, lock.rank(), inner.rank(), st.irql, lock + " acquired while holding " + inner);
            }
            top = Math.max(top, lock.level());
        }
        int old = st.irql;
        st.irql = top;
        for (KSpinLock lock : locks) {
            lockSpin(lock, det);
            if (trace != null) {
                lock.heldSince = trace.now();
            }
            st.pushLock(lock);
        }
        return old;
    }

    /** Releases a group taken with {@link #acquireGroup}, in reverse order. */
    void releaseGroup(KSpinLock[] locks, int oldIrql) {
        if (locks.length == 1) {
            release(locks[0], oldIrql);
            return;
        }
        KThreadState st = KThreadState.current();
        for (int i = locks.length - 1; i >= 0; i--) {
            if (!st.popLock(locks[i])) {
                kernel.sink().violation(KernelRule.SPIN_LOCK_RELEASE_NOT_HELD, locks[i].rank(), locks[i].level(), st.irql, locks[i] + " released but not held by this thread");
                return;
            }
            if (trace != null) {
                trace.lockHeld(locks[i].name(), locks[i].heldSince);
            }
            locks[i].unlock();
        }
        dispatcher.runPostedWork(st);
        lowerIrql(st, Math.min(oldIrql, st.irql));
    }
}
