package io.vhba.emulator.explore;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The racy teaching sample: exploration finds its double completion, the seed it prints reproduces the same bug check
 * every time, and free-running runs of the same workload exercise the same abort path without hitting the window.
 */
@Timeout(value = 900, unit = TimeUnit.SECONDS)
class RacyExplorationTest {
    private static final Explorer.Options RACY = new Explorer.Options("racy", Workload.DEFAULT, "random", 2, null);

    @Test
    void explorationFindsTheDoubleCompletionAndItsSeedReproducesItTenTimesOutOfTen() {
        Explorer.ScheduleResult found = Explorer.explore(RACY, 0, 1000, r -> { });
        assertThat(found.finding()).isNotNull();
        assertThat(found.finding().kind()).isEqualTo(Finding.Kind.BUG_CHECK);
        // completed twice: while the miniport still owned it (0x2004) or after the port returned it (0x3001)
        assertThat(found.finding().detail()).containsAnyOf("DOUBLE_COMPLETION", "SRB_USED_AFTER_COMPLETION");
        for (int i = 0; i < 10; i++) {
            assertThat(Explorer.runSchedule(RACY, found.seed())).isEqualTo(found);
        }
    }

    @Test
    void pctFindsItToo() {
        Explorer.ScheduleResult found = Explorer.explore(new Explorer.Options("racy", Workload.DEFAULT, "pct", 2, null),
                0, 1000, r -> { });
        assertThat(found.finding()).isNotNull();
        assertThat(found.finding().kind()).isEqualTo(Finding.Kind.BUG_CHECK);
    }

    @Test
    void freeRunningRunsExerciseTheAbortPathWithoutHittingTheWindow() {
        long[] aborts = {0};
        Explorer.ScheduleResult last = Explorer.stress(RACY, 0, 30, r -> aborts[0] += r.abortsTookEffect());
        assertThat(last.finding()).isNull();
        assertThat(aborts[0]).as("aborts that completed their task in the miniport").isGreaterThan(100);
    }
}
