package io.vhba.emulator.kernel.sched;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class DeterministicSchedulerTest {

    /** Three threads append to one list between scheduling points; the order is the interleaving. */
    private static List<String> interleaving(long seed, String strategy) {
        DeterministicScheduler s = new DeterministicScheduler(seed, DeterministicScheduler.Source.CLOSED, null, strategy, 200, 0);
        List<String> order = new ArrayList<>();
        int[] done = {0};
        s.join("main", null);
        for (int i = 0; i < 3; i++) {
            int id = i;
            s.spawn("t" + i, () -> {
                for (int k = 0; k < 20; k++) {
                    order.add(id + ":" + k);
                    s.point();
                }
                done[0]++;
            });
        }
        s.block(() -> done[0] == 3, null);
        s.leave();
        s.close();
        return order;
    }

    @Test
    void theSameSeedGivesTheSameInterleaving() {
        for (String strategy : List.of("random", "pct")) {
            assertThat(interleaving(42, strategy)).isEqualTo(interleaving(42, strategy)).hasSize(60);
        }
    }

    @Test
    void differentSeedsGiveDifferentInterleavings() {
        Set<List<String>> seen = new HashSet<>();
        for (long seed = 0; seed < 10; seed++) {
            seen.add(interleaving(seed, "random"));
        }
        assertThat(seen).hasSizeGreaterThan(5);
    }

    @Test
    void randomSchedulingInterleavesWhilePctRunsTheHighestPriorityUntilAChangePoint() {
        List<String> random = interleaving(7, "random");
        List<String> pct = interleaving(7, "pct");
        assertThat(switches(random)).isGreaterThan(20);
        // two change points at most: three threads run in at most five stretches
        assertThat(switches(pct)).isLessThanOrEqualTo(4);
    }

    private static int switches(List<String> order) {
        int n = 0;
        for (int i = 1; i < order.size(); i++) {
            if (order.get(i).charAt(0) != order.get(i - 1).charAt(0)) {
                n++;
            }
        }
        return n;
    }

    @Test
    void aSleepWhileNothingElseRunsJumpsVirtualTimeWithoutWaiting() {
        DeterministicScheduler s = new DeterministicScheduler(1, DeterministicScheduler.Source.CLOSED, null, "random", 1, 0);
        s.join("main", null);
        long realStart = System.nanoTime();
        long before = s.nanoTime();
        s.sleepNanos(TimeUnit.SECONDS.toNanos(30));
        assertThat(s.nanoTime() - before).isGreaterThanOrEqualTo(TimeUnit.SECONDS.toNanos(30));
        assertThat(System.nanoTime() - realStart).isLessThan(TimeUnit.SECONDS.toNanos(5));
        s.leave();
        s.close();
    }

    @Test
    void stepsAdvanceTimeByTheQuantum() {
        DeterministicScheduler s = new DeterministicScheduler(1, DeterministicScheduler.Source.CLOSED, null, "random", 1, 0);
        s.join("main", null);
        long t0 = s.nanoTime();
        long s0 = s.steps();
        for (int i = 0; i < 10; i++) {
            s.point();
        }
        assertThat(s.steps() - s0).isEqualTo(10);
        assertThat(s.nanoTime() - t0).isEqualTo(10 * DeterministicScheduler.QUANTUM_NANOS);
        s.busy(5_000);
        assertThat(s.nanoTime() - t0).isEqualTo(15_000);
        assertThat(s.steps() - s0).isEqualTo(10); // busy time is no scheduling point
        s.leave();
        s.close();
    }

    @Test
    void threadsWaitingForEachOtherHaltTheRunAsAHang() throws Exception {
        DeterministicScheduler s = new DeterministicScheduler(3, DeterministicScheduler.Source.CLOSED, null, "random", 1, 0);
        AtomicReference<Halt> halt = new AtomicReference<>();
        CountDownLatch halted = new CountDownLatch(1);
        s.onHalt(h -> {
            halt.set(h);
            halted.countDown();
        });
        boolean[] flags = new boolean[2];
        Thread driver = new Thread(() -> {
            s.join("main", null);
            s.spawn("a", () -> s.block(() -> flags[1], null));
            s.spawn("b", () -> s.block(() -> flags[0], null));
            s.leave();
        });
        driver.start();
        assertThat(halted.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(halt.get().kind()).isEqualTo(Halt.Kind.HANG);
        assertThat(halt.get().detail()).contains("a", "b");
        s.close();
        driver.join(5000);
    }

    @Test
    void aRunPastItsBudgetHalts() throws Exception {
        DeterministicScheduler s = new DeterministicScheduler(3, DeterministicScheduler.Source.CLOSED, null, "random", 1, 0);
        s.setLimits(100, Long.MAX_VALUE);
        CountDownLatch halted = new CountDownLatch(1);
        s.onHalt(h -> halted.countDown());
        Thread driver = new Thread(() -> {
            s.join("main", null);
            s.spawn("spinner", () -> {
                for (;;) {
                    s.point();
                }
            });
            s.leave();
        });
        driver.start();
        assertThat(halted.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(s.halt().kind()).isEqualTo(Halt.Kind.BUDGET);
        s.close();
    }

    @Test
    void aThreadBlockedInTheJvmIsReportedAsAStallWithItsStack() throws Exception {
        DeterministicScheduler s = new DeterministicScheduler(3, DeterministicScheduler.Source.CLOSED, null, "random", 1,
                TimeUnit.MILLISECONDS.toNanos(300));
        CountDownLatch halted = new CountDownLatch(1);
        s.onHalt(h -> halted.countDown());
        Object monitor = new Object();
        CountDownLatch release = new CountDownLatch(1);
        Thread driver = new Thread(() -> {
            s.join("main", null);
            s.spawn("blocker", () -> {
                try {
                    release.await(); // a JVM-level wait the scheduler cannot see
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            s.leave();
        });
        driver.start();
        assertThat(halted.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(s.halt().kind()).isEqualTo(Halt.Kind.STALLED);
        assertThat(s.halt().detail()).startsWith("scheduler stalled in blocker").contains("CountDownLatch.await");
        release.countDown();
        s.close();
    }

    @Test
    void onlyTheBatonHolderMaySpawn() throws InterruptedException {
        DeterministicScheduler s = new DeterministicScheduler(3, DeterministicScheduler.Source.CLOSED, null, "random", 1, 0);
        s.join("main", null);
        Thread other = new Thread(() -> assertThatThrownBy(() -> s.spawn("x", () -> { }))
                .isInstanceOf(IllegalStateException.class));
        other.start();
        other.join(5000);
        assertThat(other.isAlive()).isFalse();
        s.leave();
        s.close();
    }

    @Test
    void anUnknownStrategyIsAOneLineError() {
        assertThatThrownBy(() -> new DeterministicScheduler(1, DeterministicScheduler.Source.CLOSED, null, "fifo", 1, 0))
                .hasMessage("strategy: 'fifo' is not random or pct");
    }
}
