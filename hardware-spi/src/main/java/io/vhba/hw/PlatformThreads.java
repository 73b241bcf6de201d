package io.vhba.hw;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The platform's time and threads, as a device model (and the disk model behind it) sees them. A model that works
 * on its own thread (a threaded controller, a SANITIZE that outlives its command) takes the thread, its waits and
 * its clock from here, never from {@link Thread} and {@link System#nanoTime()}: in the emulator's deterministic mode
 * they are simulated threads over virtual time, scheduled with the processors by one seeded scheduler, and a
 * thread made any other way would run outside that schedule.
 */
public interface PlatformThreads {

    /** Real threads and {@link System#nanoTime()}: what a model gets without a platform (unit tests, harnesses). */
    PlatformThreads SYSTEM = new PlatformThreads() {
        @Override
        public long nanoTime() {
            return System.nanoTime();
        }

        @Override
        public void start(String name, Runnable body) {
            Thread t = new Thread(body, name);
            t.setDaemon(true);
            t.start();
        }

        @Override
        public void sleepNanos(long nanos) {
            long end = System.nanoTime() + nanos;
            for (long left = nanos; left > 0; left = end - System.nanoTime()) {
                LockSupport.parkNanos(left);
            }
        }

        @Override
        public ScheduledExecutorService newWorker(String name) {
            return Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, name);
                t.setDaemon(true);
                return t;
            });
        }

        @Override
        public <T> T join(CompletableFuture<T> future) {
            return future.join();
        }
    };

    /** Monotonic nanoseconds of the platform clock. */
    long nanoTime();

    /** Starts a thread of the platform that runs {@code body}; it ends when {@code body} returns. */
    void start(String name, Runnable body);

    /** The calling platform thread waits {@code nanos} of platform time (other threads run meanwhile). */
    void sleepNanos(long nanos);

    /**
     * A single worker thread whose {@code schedule} delays are platform time. {@code shutdownNow} stops it; tasks not
     * yet run are dropped.
     */
    ScheduledExecutorService newWorker(String name);

    /** Waits for {@code future} on the calling platform thread and returns its value (as {@link CompletableFuture#join}). */
    <T> T join(CompletableFuture<T> future);

    /** Waits {@code delay} in {@code unit} of platform time. */
    default void sleep(long delay, TimeUnit unit) {
        sleepNanos(unit.toNanos(delay));
    }
}
