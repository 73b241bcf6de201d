package io.vhba.emulator.scsi.disk;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The flush executor of one store: group commit. Callers ask for a force and get a future; one platform thread of the
 * store's own runs the forces, and each force serves every request that arrived before it began. A request is never
 * answered by a force that was already running when it arrived (that force might not cover the writes the requester
 * made just before asking), so it waits for the next one, which then also serves everyone who arrived meanwhile.
 *
 * <p>Nothing here blocks the caller: the network event loops (the simulated processors) only queue a request, and
 * the answer is sent from this thread when the force ends. The queue is bounded at {@link #limit} waiting requests;
 * that is above the deepest queue Storport allows one logical unit, so it is not reached in a running target, and a
 * request beyond it runs the force on the caller's thread (back-pressure instead of memory growth).
 *
 * <p>The thread starts on the first request, so a store that is never flushed this way costs no thread.
 */
final class GroupCommit {

    /** The force itself: an fdatasync and whatever must be durable with it. */
    @FunctionalInterface
    interface Force {
        void run() throws IOException;
    }

    /** Above Storport's deepest per-LU queue (254 x 8 requests, StorPortSetDeviceQueueDepth). */
    static final int DEFAULT_LIMIT = 4096;

    private final Force force;
    private final String threadName;
    private final int limit;
    private final Object lock = new Object();
    /** Requests waiting for the next force; swapped with {@link #spare} when a force begins. Guarded by lock. */
    private List<CompletableFuture<Void>> waiting = new ArrayList<>();
    /** The flush thread's own list, empty between forces. */
    private List<CompletableFuture<Void>> spare = new ArrayList<>();
    private Thread thread;
    private boolean closed;
    private final AtomicLong forces = new AtomicLong();
    private final AtomicLong served = new AtomicLong();

    GroupCommit(Force force, String threadName, int limit) {
        this.force = force;
        this.threadName = threadName;
        this.limit = limit;
    }

    /**
     * A force that begins after this call; the future completes when it ends (exceptionally with its
     * {@link IOException}). Completion runs the requester's continuation on the flush thread.
     */
    CompletableFuture<Void> request() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        boolean callerRuns;
        synchronized (lock) {
            if (closed) {
                done.completeExceptionally(new IOException("the store is closed"));
                return done;
            }
            callerRuns = waiting.size() >= limit;
            if (!callerRuns) {
                waiting.add(done);
                if (thread == null) {
                    thread = new Thread(this::work, threadName);
                    thread.setDaemon(true);
                    thread.start();
                } else if (waiting.size() == 1) {
                    lock.notify();
                }
                return done;
            }
        }
        try {
            runForce();
            served.incrementAndGet();
            done.complete(null);
        } catch (IOException e) {
            done.completeExceptionally(e);
        }
        return done;
    }

    /** Forces run so far (by the flush thread or a caller). */
    long forces() {
        return forces.get();
    }

    /** Requests answered so far; above {@link #forces()} when forces were shared. */
    long served() {
        return served.get();
    }

    /** Answers what is waiting with one last force, then stops the thread. Later requests fail. */
    void close() {
        Thread t;
        synchronized (lock) {
            closed = true;
            lock.notify();
            t = thread;
        }
        if (t != null && t != Thread.currentThread()) {
            boolean interrupted = false;
            while (true) {
                try {
                    t.join();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true; // the flush thread must finish: its requesters wait for their answers
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void work() {
        while (true) {
            List<CompletableFuture<Void>> batch;
            synchronized (lock) {
                while (waiting.isEmpty() && !closed) {
                    try {
                        lock.wait();
                    } catch (InterruptedException e) {
                        // never interrupted on purpose (an interrupt would close the store's FileChannel); keep going
                    }
                }
                if (waiting.isEmpty()) {
                    return; // closed, and everyone answered
                }
                batch = waiting;
                waiting = spare;
            }
            IOException failure = null;
            try {
                runForce();
            } catch (IOException e) {
                failure = e;
            } catch (RuntimeException e) {
                failure = new IOException("flush failed: " + e, e);
            }
            served.addAndGet(batch.size());
            for (CompletableFuture<Void> f : batch) {
                if (failure == null) {
                    f.complete(null);
                } else {
                    f.completeExceptionally(failure);
                }
            }
            batch.clear();
            spare = batch;
        }
    }

    private void runForce() throws IOException {
        forces.incrementAndGet();
        force.run();
    }
}
