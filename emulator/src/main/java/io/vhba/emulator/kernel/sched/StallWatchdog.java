package io.vhba.emulator.kernel.sched;

import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Real-time guard of a deterministic run: when the baton holder has not reached a scheduling point for the limit,
 * it blocks in the JVM (a Java monitor, a sleep, an endless loop) where the scheduler cannot see it, and every other
 * simulated thread waits for it. The watchdog halts the run with {@link Halt.Kind#STALLED}, naming the thread and its
 * stack, rather than letting the emulator hang silently.
 */
final class StallWatchdog implements AutoCloseable {
    private final Thread thread;
    private volatile boolean closed;

    StallWatchdog(DeterministicScheduler scheduler, long limitNanos) {
        thread = new Thread(() -> watch(scheduler, limitNanos), "scheduler-stall-watchdog");
        thread.setDaemon(true);
        thread.start();
    }

    private void watch(DeterministicScheduler s, long limitNanos) {
        long period = Math.max(TimeUnit.MILLISECONDS.toNanos(50), limitNanos / 10);
        while (!closed && s.halt() == null && !s.terminating()) {
            try {
                TimeUnit.NANOSECONDS.sleep(period);
            } catch (InterruptedException e) {
                return;
            }
            SimThread holder = s.running();
            if (holder == null || holder.thread == null || s.idleWaiting()) {
                continue;
            }
            long since = System.nanoTime() - holder.lastPointRealNanos;
            if (holder.lastPointRealNanos != 0 && since > limitNanos && s.running() == holder && !s.idleWaiting()) {
                String stack = Arrays.stream(holder.thread.getStackTrace()).map(String::valueOf)
                        .collect(Collectors.joining("\n\tat "));
                s.declareHalt(new Halt(Halt.Kind.STALLED, s.steps(), s.nanoTime(), "scheduler stalled in " + holder.name
                        + " (" + holder.thread.getState() + ", no scheduling point for "
                        + TimeUnit.NANOSECONDS.toMillis(since) + " ms) at\n\tat " + stack));
                return;
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
    }
}
