package io.vhba.emulator.explore;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Exploration of the well-behaved samples: nothing is found, and a seed names its schedule exactly. */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class ExplorerTest {
    private static final Workload SMALL = Workload.parse("reads=30,writes=30,aborts=4,resets=1,qd=4,regions=8");

    @Test
    void theMailboxSampleRunsCleanUnderSeveralSchedulesAndASeedRepeatsItsSchedule() {
        Explorer.Options o = new Explorer.Options("mailbox", SMALL, "random", 2, null);
        Explorer.ScheduleResult r = Explorer.explore(o, 0, 3, x -> { });
        assertThat(r.finding()).isNull();
        assertThat(r.srbs()).isGreaterThanOrEqualTo(60);
        Explorer.ScheduleResult again = Explorer.runSchedule(o, 2);
        assertThat(again).isEqualTo(r);
    }

    @Test
    void theVirtualSampleRunsCleanUnderPct() {
        Explorer.Options o = new Explorer.Options("virtual", SMALL, "pct", 2, null);
        Explorer.ScheduleResult r = Explorer.explore(o, 10, 2, x -> { });
        assertThat(r.finding()).isNull();
    }
}
