package io.vhba.emulator.kernel.sched;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.locks.LockSupport;

/**
 * The simulated threads of a {@link DeterministicScheduler}, in registration order: a thread's id is its place here,
 * the stable order every strategy works on. Touched by the baton holder (or the booting thread, before any holder
 * exists); {@link #unparkAllBut} also by the thread that terminates the run.
 */
final class ThreadTable {
    private final List<SimThread> threads = new ArrayList<>();
    private final SchedulingStrategy strategy;
    private final Random random;

    ThreadTable(SchedulingStrategy strategy, Random random) {
        this.strategy = strategy;
        this.random = random;
    }

    /** Registers a simulated thread: it gets the next id, and the strategy its initial state (PCT: a priority). */
    SimThread register(String name) {
        SimThread st = new SimThread(threads.size(), name);
        strategy.registered(st, random);
        threads.add(st);
        return st;
    }

    /** How many registered threads have not finished. */
    int alive() {
        int n = 0;
        for (SimThread t : threads) {
            if (!t.finished) {
                n++;
            }
        }
        return n;
    }

    /** The threads that can run now, in registration order (a new list: the strategy picks from it). */
    List<SimThread> runnable() {
        List<SimThread> runnable = new ArrayList<>();
        for (SimThread t : threads) {
            if (t.runnable()) {
                runnable.add(t);
            }
        }
        return runnable;
    }

    /** The first thread that has not finished, or null. */
    SimThread firstAlive() {
        for (SimThread t : threads) {
            if (!t.finished) {
                return t;
            }
        }
        return null;
    }

    /** The earliest virtual time at which a waiting thread's timer fires, or {@code Long.MAX_VALUE}. */
    long earliestDeadline() {
        long deadline = Long.MAX_VALUE;
        for (SimThread t : threads) {
            deadline = Math.min(deadline, t.deadline());
        }
        return deadline;
    }

    /** The waiting threads, for a hang report. */
    String waiting() {
        StringBuilder b = new StringBuilder();
        for (SimThread t : threads) {
            if (!t.finished) {
                b.append(b.length() == 0 ? "" : ", ").append(t.name);
            }
        }
        return b.toString();
    }

    /** Wakes every registered thread but {@code me} and the caller, so that each sees the termination. */
    void unparkAllBut(SimThread me) {
        for (SimThread t : new ArrayList<>(threads)) {
            if (t.thread != null && t != me && t.thread != Thread.currentThread()) {
                LockSupport.unpark(t.thread);
            }
        }
    }
}
