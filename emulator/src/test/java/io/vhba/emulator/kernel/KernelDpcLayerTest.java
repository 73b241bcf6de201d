package io.vhba.emulator.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The KDPC layer's remaining corners: importance order, removal of a running DPC, flush, the watchdog. */
class KernelDpcLayerTest {
    private final RecordingSink sink = new RecordingSink();
    private Kernel kernel = Kernel.boot(2, sink);

    @AfterEach
    void shutdown() {
        kernel.close();
    }

    private void atDispatchOn(int cpu, Runnable body) {
        kernel.processor(cpu).executor().submit(() -> {
            int old = kernel.raiseIrql(Irql.DISPATCH_LEVEL);
            try {
                body.run();
            } finally {
                kernel.lowerIrql(old);
            }
        }).syncUninterruptibly();
    }

    /** Spins until {@code t} is parked (waiting), i.e. blocked inside the call under test. */
    static void awaitBlocked(Thread t) {
        while (t.getState() != Thread.State.WAITING && t.getState() != Thread.State.TIMED_WAITING && t.isAlive()) {
            Thread.onSpinWait();
        }
    }

    @Test
    void lowAndMediumGoToTheTailInOrderAndHighJumpsThem() {
        List<String> order = new CopyOnWriteArrayList<>();
        KDpc low = new KDpc("low", (d, c, a, b) -> order.add("low"), null);
        KDpc medium = new KDpc("medium", (d, c, a, b) -> order.add("medium"), null);
        KDpc mediumHigh = new KDpc("mediumHigh", (d, c, a, b) -> order.add("mediumHigh"), null);
        KDpc high = new KDpc("high", (d, c, a, b) -> order.add("high"), null);
        low.setImportance(DpcImportance.LOW);
        mediumHigh.setImportance(DpcImportance.MEDIUM_HIGH);
        high.setImportance(DpcImportance.HIGH);
        atDispatchOn(0, () -> {
            kernel.insertQueueDpc(low, null, null);
            kernel.insertQueueDpc(medium, null, null);
            kernel.insertQueueDpc(mediumHigh, null, null);
            kernel.insertQueueDpc(high, null, null);
        });
        assertThat(order).containsExactly("high", "low", "medium", "mediumHigh");
    }

    @Test
    void aRunningDpcCannotBeRemovedButCanBeQueuedAgain() throws Exception {
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger runs = new AtomicInteger();
        KDpc dpc = new KDpc("busy", (d, c, a, b) -> {
            if (runs.incrementAndGet() == 1) {
                running.countDown();
                await(release);
            }
        }, null);
        dpc.setTargetProcessor(1);
        kernel.insertQueueDpc(dpc, null, null);
        assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(kernel.processorRunning(dpc)).isSameAs(kernel.processor(1));
        assertThat(dpc.isQueued()).isFalse();
        assertThat(kernel.removeQueueDpc(dpc)).isFalse(); // running is not queued
        assertThat(kernel.insertQueueDpc(dpc, null, null)).isTrue();
        assertThat(kernel.insertQueueDpc(dpc, null, null)).isFalse();
        release.countDown();
        kernel.flushQueuedDpcs();
        assertThat(runs).hasValue(2);
    }

    @Test
    void flushWaitsForADpcRunningOnAnotherProcessorAndForThoseQueuedBehindIt() throws Exception {
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean firstDone = new AtomicBoolean();
        AtomicBoolean secondDone = new AtomicBoolean();
        KDpc first = new KDpc("first", (d, c, a, b) -> {
            running.countDown();
            await(release);
            firstDone.set(true);
        }, null);
        KDpc second = new KDpc("second", (d, c, a, b) -> secondDone.set(true), null);
        first.setTargetProcessor(1);
        second.setTargetProcessor(1);
        kernel.insertQueueDpc(first, null, null);
        assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();
        kernel.insertQueueDpc(second, null, null);
        boolean[] seen = new boolean[2];
        Thread flusher = new Thread(() -> {
            kernel.flushQueuedDpcs();
            seen[0] = firstDone.get();
            seen[1] = secondDone.get();
        }, "flusher");
        flusher.start();
        awaitBlocked(flusher);
        release.countDown();
        flusher.join();
        assertThat(seen).containsExactly(true, true);
    }

    @Test
    void flushAbovePassiveIsReportedAndDoesNotWait() {
        atDispatchOn(0, () -> kernel.flushQueuedDpcs());
        assertThat(sink.violations).singleElement().satisfies(v -> {
            assertThat(v.rule()).isEqualTo(KernelRule.WAIT_AT_RAISED_IRQL);
            assertThat(v.p2()).isEqualTo(Irql.DISPATCH_LEVEL);
            assertThat(v.p3()).isEqualTo(Irql.PASSIVE_LEVEL);
        });
    }

    @Test
    void theWatchdogReportsADpcThatRunsTooLongWithTheProcessorsThread() throws Exception {
        kernel.close();
        kernel = Kernel.boot(2, sink, TimeUnit.MILLISECONDS.toNanos(50));
        CountDownLatch reported = new CountDownLatch(1);
        KDpc stuck = new KDpc("stuck", (d, c, a, b) -> {
            while (sink.violations.isEmpty()) { // runs until the watchdog has seen it
                Thread.onSpinWait();
            }
            reported.countDown();
        }, null);
        stuck.setTargetProcessor(1);
        kernel.insertQueueDpc(stuck, null, null);
        assertThat(reported.await(10, TimeUnit.SECONDS)).isTrue();
        RecordingSink.Violation v = sink.violations.get(0);
        assertThat(v.rule()).isEqualTo(KernelRule.DPC_WATCHDOG);
        assertThat(v.p2()).isEqualTo(1);            // the processor
        assertThat(v.p3()).isGreaterThanOrEqualTo(50); // ms run so far
        assertThat(v.p4()).isEqualTo(50);           // the limit
        assertThat(v.threads()).containsExactly("cpu1");
        assertThat(v.detail()).contains("KDPC[stuck]");
    }

    static void await(CountDownLatch l) {
        try {
            l.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
