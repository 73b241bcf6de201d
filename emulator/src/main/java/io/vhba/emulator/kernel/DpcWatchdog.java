package io.vhba.emulator.kernel;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * {@code DPC_WATCHDOG}: reports a DPC that has been running longer than the limit (bug check
 * 0x133, parameter 0 "a single DPC exceeded its time allotment"). It cannot stop the DPC; it
 * reports once per DPC run, and marks the processor hung until the DPC returns, so the kernel
 * places no new connection on it.
 */
final class DpcWatchdog implements AutoCloseable {
    private final ScheduledExecutorService timer;

    DpcWatchdog(Kernel kernel, long limitNanos) {
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "dpc-watchdog");
            t.setDaemon(true);
            return t;
        });
        long period = Math.max(TimeUnit.MILLISECONDS.toNanos(10), limitNanos / 4);
        KDpc[] reported = new KDpc[kernel.processors().size()];
        long[] reportedSince = new long[reported.length];
        timer.scheduleAtFixedRate(() -> {
            long now = kernel.nanoTime();
            for (KProcessor p : kernel.processors()) {
                KDpc d = p.runningDpc;
                long since = p.runningDpcSinceNanos;
                int n = p.number();
                if (d != null && now - since > limitNanos && !(reported[n] == d && reportedSince[n] == since)) {
                    reported[n] = d;
                    reportedSince[n] = since;
                    p.hung = true;
                    try {
                        // 0x133 parameter layout: elapsed and limit (ms here); the processor's stack goes in the report.
                        long ms = (now - since) / 1_000_000;
                        kernel.sink().violation(KernelRule.DPC_WATCHDOG, n, ms, limitNanos / 1_000_000, d + " has run " + ms
                                + " ms on CPU" + n + " (limit " + limitNanos / 1_000_000 + " ms)", p.thread());
                    } catch (RuntimeException ignored) {
                        // the sink reported it; the watchdog thread must not die
                    }
                }
            }
        }, period, period, TimeUnit.NANOSECONDS);
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
