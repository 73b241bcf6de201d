package io.vhba.emulator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.vhba.emulator.iscsi.session.IoStatistics;
import org.junit.jupiter.api.Test;

class StatsReporterTest {
    @Test
    void aLineGivesRatesOverTheIntervalAndTheMeanLatency() {
        // 5 s: 10000 commands answered (6000 reads of 4 KiB, 4000 writes of 8 KiB), 2 s of latency in all
        IoStatistics.Snapshot d = new IoStatistics.Snapshot(10_010, 10_000, 0, 6000, 4000, 6000L * 4096, 4000L * 8192,
                2_000_000_000L);
        assertThat(StatsReporter.line(d, 5.0, 2, 10)).isEqualTo(
                "2000 IOPS (r 1200, w 800), read 4.7 MiB/s, write 6.3 MiB/s, latency 200 us, 2 sessions, 10 outstanding");
        assertThat(StatsReporter.line(IoStatistics.Snapshot.ZERO, 5.0, 1, 0)).isEqualTo(
                "0 IOPS (r 0, w 0), read 0.0 MiB/s, write 0.0 MiB/s, latency 0 us, 1 session, 0 outstanding");
    }

    @Test
    void outstandingIsReceivedMinusEnded() {
        IoStatistics.Snapshot s = new IoStatistics.Snapshot(100, 90, 4, 0, 0, 0, 0, 0);
        assertThat(s.outstanding()).isEqualTo(6);
        assertThat(s.minus(new IoStatistics.Snapshot(50, 45, 2, 0, 0, 0, 0, 0)).answered()).isEqualTo(45);
    }
}
