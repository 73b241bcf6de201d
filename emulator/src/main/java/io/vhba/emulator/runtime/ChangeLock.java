package io.vhba.emulator.runtime;

import io.vhba.emulator.runtime.Reconfiguration.Reason;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Serialises the run-time changes of a {@link Vhba} (LUN add and remove, resize, adapter restart: each reads and
 * changes the LUN map of a target) and records each as an operation. A change waits at most
 * {@value #WAIT_SECONDS} s for the one before it, and none starts once the emulator is closing.
 */
final class ChangeLock {
    /** How long a change waits for the one running before it (a LUN removal may wait for a drain and a reset). */
    static final long WAIT_SECONDS = 60;

    @FunctionalInterface
    interface Change {
        void run(Operations.Tracked op) throws InterruptedException;
    }

    @FunctionalInterface
    interface Body {
        void run() throws InterruptedException;
    }

    private final ReentrantLock lock = new ReentrantLock();
    private final Operations operations;
    private volatile boolean closed;

    ChangeLock(Operations operations) {
        this.operations = operations;
    }

    /** No change starts from now on. */
    void close() {
        closed = true;
    }

    boolean closed() {
        return closed;
    }

    /** Runs {@code change} under the lock, tracked as an operation that ends done or failed with the exception's message. */
    void change(Operations.Kind kind, String iqn, int lun, String detail, Change change) {
        run(() -> {
            Operations.Tracked op = operations.begin(kind, iqn, lun, detail);
            try {
                change.run(op);
                op.done();
            } catch (RuntimeException | InterruptedException e) {
                op.failed(String.valueOf(e.getMessage()));
                throw e;
            }
        });
    }

    /** Runs {@code body} under the lock, untracked. */
    void run(Body body) {
        try {
            if (!lock.tryLock(WAIT_SECONDS, TimeUnit.SECONDS)) {
                throw new Reconfiguration(Reason.UNAVAILABLE, "another change is still running after " + WAIT_SECONDS + " s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Reconfiguration(Reason.UNAVAILABLE, "interrupted while waiting for another change");
        }
        try {
            if (closed) {
                throw new Reconfiguration(Reason.UNAVAILABLE, "vHBA is shutting down");
            }
            body.run();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Reconfiguration(Reason.UNAVAILABLE, "interrupted");
        } finally {
            lock.unlock();
        }
    }
}
