package io.vhba.emulator.cli;

import io.vhba.emulator.iscsi.session.IoStatistics;
import io.vhba.emulator.runtime.Vhba;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code serve --stats INTERVAL}: one status line per interval through the logger {@code io.vhba.stats} (INFO, so on
 * standard error with the other logs; standard output stays the URLs). It reads the transport's I/O counters, which
 * cost the data path a few uncontended adds per command, and prints the differences over the interval.
 */
final class StatsReporter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger("io.vhba.stats");

    private final Vhba vhba;
    private final ScheduledExecutorService timer;
    private IoStatistics.Snapshot last;
    private long lastNanos;

    private StatsReporter(Vhba vhba) {
        this.vhba = vhba;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "vhba-stats");
            t.setDaemon(true);
            return t;
        });
    }

    static StatsReporter start(Vhba vhba, Duration interval) {
        StatsReporter s = new StatsReporter(vhba);
        s.last = vhba.ioStatistics();
        s.lastNanos = System.nanoTime();
        long ms = interval.toMillis();
        s.timer.scheduleAtFixedRate(s::report, ms, ms, TimeUnit.MILLISECONDS);
        return s;
    }

    private void report() {
        try {
            IoStatistics.Snapshot now = vhba.ioStatistics();
            long t = System.nanoTime();
            LOG.info(line(now.minus(last), (t - lastNanos) / 1e9, vhba.sessions().sessions().size(), now.outstanding()));
            last = now;
            lastNanos = t;
        } catch (RuntimeException e) {
            LOG.warn("stats: {}", e.toString()); // a stats line is never worth stopping the timer for
        }
    }

    /** {@code 1234 IOPS (r 600, w 634), read 2.3 MiB/s, write 2.5 MiB/s, latency 210 us, 2 sessions, 31 outstanding}. */
    static String line(IoStatistics.Snapshot d, double seconds, int sessions, long outstanding) {
        double s = seconds <= 0 ? 1 : seconds;
        return String.format(Locale.ROOT, "%.0f IOPS (r %.0f, w %.0f), read %.1f MiB/s, write %.1f MiB/s, "
                        + "latency %.0f us, %d session%s, %d outstanding",
                d.answered() / s, d.reads() / s, d.writes() / s, d.bytesRead() / s / (1 << 20),
                d.bytesWritten() / s / (1 << 20), d.meanLatencyMicros(), sessions, sessions == 1 ? "" : "s", outstanding);
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
