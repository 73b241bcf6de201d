package io.vhba.emulator.kernel.sched;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class SimulatedEventLoopTest {

    @Test
    void scheduledTasksRunAtTheirVirtualDeadlineInOrder() {
        DeterministicScheduler s = new DeterministicScheduler(5, DeterministicScheduler.Source.CLOSED, null, "random", 1, 0);
        s.join("main", null);
        SimulatedEventLoop loop = new SimulatedEventLoop(s, "loop").start(Thread::new);
        List<String> ran = new ArrayList<>();
        loop.schedule(() -> ran.add("2s@" + s.nanoTime() / 1_000_000_000), 2, TimeUnit.SECONDS);
        loop.schedule(() -> ran.add("1s@" + s.nanoTime() / 1_000_000_000), 1, TimeUnit.SECONDS);
        loop.execute(() -> ran.add("now"));
        s.block(() -> ran.size() == 3, null);
        assertThat(ran).containsExactly("now", "1s@1", "2s@2");
        loop.shutdownGracefully();
        s.block(loop::isTerminated, null);
        s.leave();
        s.close();
    }

    @Test
    void aFixedRateTaskRunsOncePerPeriodOfVirtualTime() {
        DeterministicScheduler s = new DeterministicScheduler(5, DeterministicScheduler.Source.CLOSED, null, "random", 1, 0);
        s.join("main", null);
        SimulatedEventLoop loop = new SimulatedEventLoop(s, "loop").start(Thread::new);
        int[] ticks = {0};
        var f = loop.scheduleAtFixedRate(() -> ticks[0]++, 1, 1, TimeUnit.SECONDS);
        s.sleepNanos(TimeUnit.MILLISECONDS.toNanos(10_500));
        assertThat(ticks[0]).isEqualTo(10);
        f.cancel(false);
        loop.shutdownGracefully();
        s.block(loop::isTerminated, null);
        s.leave();
        s.close();
    }

    @Test
    void inEventLoopIsTheLoopsOwnThread() {
        DeterministicScheduler s = new DeterministicScheduler(5, DeterministicScheduler.Source.CLOSED, null, "random", 1, 0);
        s.join("main", null);
        SimulatedEventLoop loop = new SimulatedEventLoop(s, "loop").start(Thread::new);
        boolean[] seen = new boolean[2];
        loop.execute(() -> seen[0] = loop.inEventLoop());
        seen[1] = loop.inEventLoop();
        var f = loop.submit(() -> { });
        s.block(f::isDone, null);
        assertThat(seen).containsExactly(true, false);
        loop.shutdownGracefully();
        s.block(loop::isTerminated, null);
        s.leave();
        s.close();
    }
}
