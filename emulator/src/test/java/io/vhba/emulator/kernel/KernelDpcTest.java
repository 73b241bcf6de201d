package io.vhba.emulator.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class KernelDpcTest {
    private Kernel kernel;
    private final List<String> violations = new CopyOnWriteArrayList<>();

    @BeforeEach
    void boot() {
        kernel = Kernel.boot(2, (rule, detail) -> violations.add(rule + ": " + detail));
    }

    @AfterEach
    void shutdown() {
        kernel.close();
    }

    /** Runs {@code body} on {@code cpu} at DISPATCH_LEVEL, then lowers to PASSIVE (which drains). */
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

    @Test
    void aDpcQueuedTwiceBeforeItRunsRunsOnce() {
        AtomicInteger runs = new AtomicInteger();
        KDpc dpc = new KDpc("once", (d, ctx, a1, a2) -> runs.incrementAndGet(), null);
        boolean[] inserted = new boolean[2];
        atDispatchOn(0, () -> {
            inserted[0] = kernel.insertQueueDpc(dpc, "a", null);
            inserted[1] = kernel.insertQueueDpc(dpc, "b", null);
        });
        assertThat(inserted).containsExactly(true, false);
        assertThat(runs).hasValue(1);
        assertThat(dpc.isQueued()).isFalse();
    }

    @Test
    void theFirstInsertsArgumentsAreTheOnesDelivered() {
        List<Object> seen = new CopyOnWriteArrayList<>();
        KDpc dpc = new KDpc("args", (d, ctx, a1, a2) -> seen.add(a1 + "/" + a2 + "/" + ctx), "ctx");
        atDispatchOn(0, () -> {
            kernel.insertQueueDpc(dpc, "first", 1);
            kernel.insertQueueDpc(dpc, "second", 2);
        });
        assertThat(seen).containsExactly("first/1/ctx");
    }

    @Test
    void anInterruptRunsBeforeTheDpcWhenTheIrqlDrops() {
        List<String> order = new CopyOnWriteArrayList<>();
        KSpinLock lock = new KSpinLock("int", Irql.DIRQL_MIN, KSpinLock.RANK_INTERRUPT);
        KDpc dpc = new KDpc("dpc", (d, ctx, a1, a2) -> order.add("DPC@" + Irql.name(kernel.currentIrql())), null);
        KInterrupt ki = new KInterrupt("msi0", Irql.DIRQL_MIN, lock, kernel.processor(0), false, i -> {
            order.add("ISR@" + Irql.name(kernel.currentIrql()) + " holding=" + lock.isHeldByCurrentThread());
            return true;
        });
        atDispatchOn(0, () -> {
            kernel.insertQueueDpc(dpc, null, null); // queued first...
            kernel.signal(ki);                      // ...but the interrupt preempts it
            order.add("raised");
        });
        assertThat(order).containsExactly("raised", "ISR@DIRQL(3) holding=true", "DPC@DISPATCH_LEVEL");
        assertThat(ki.deliveredCount()).isEqualTo(1);
    }

    @Test
    void twoSignalsBeforeTheIsrRunsAreOneDelivery() {
        KSpinLock lock = new KSpinLock("int", Irql.DIRQL_MIN, KSpinLock.RANK_INTERRUPT);
        AtomicInteger isr = new AtomicInteger();
        KInterrupt ki = new KInterrupt("msi0", Irql.DIRQL_MIN, lock, kernel.processor(0), false, i -> isr.incrementAndGet() > 0);
        atDispatchOn(0, () -> {
            kernel.signal(ki);
            kernel.signal(ki);
        });
        assertThat(isr).hasValue(1);
        assertThat(ki.signalCount()).isEqualTo(2);
    }

    @Test
    void aDpcGoesToItsTargetProcessor() throws Exception {
        CountDownLatch ran = new CountDownLatch(1);
        String[] where = new String[1];
        KDpc dpc = new KDpc("remote", (d, ctx, a1, a2) -> {
            where[0] = Thread.currentThread().getName() + "@" + Irql.name(kernel.currentIrql());
            ran.countDown();
        }, null);
        dpc.setTargetProcessor(1);
        atDispatchOn(0, () -> kernel.insertQueueDpc(dpc, null, null));
        assertThat(ran.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(where[0]).isEqualTo("cpu1@DISPATCH_LEVEL");
    }

    @Test
    void aDpcRequeuedWhileRunningRunsAgainOnAnotherProcessorConcurrently() throws Exception {
        CountDownLatch secondStarted = new CountDownLatch(1);
        List<String> runs = new CopyOnWriteArrayList<>();
        AtomicInteger count = new AtomicInteger();
        KDpc[] self = new KDpc[1];
        self[0] = new KDpc("requeue", (d, ctx, a1, a2) -> {
            int n = count.incrementAndGet();
            runs.add(n + ":" + Thread.currentThread().getName());
            if (n == 1) {
                d.setTargetProcessor(1);
                assertThat(kernel.insertQueueDpc(d, null, null)).isTrue(); // not queued while running
                try {
                    // The first run is still executing when the second starts: no serialisation by the queue.
                    assertThat(secondStarted.await(5, TimeUnit.SECONDS)).isTrue();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            } else {
                secondStarted.countDown();
            }
        }, null);
        self[0].setTargetProcessor(0);
        atDispatchOn(0, () -> kernel.insertQueueDpc(self[0], null, null));
        assertThat(runs).containsExactly("1:cpu0", "2:cpu1");
    }

    @Test
    void removeQueueDpcTakesAQueuedDpcOut() throws Exception {
        CountDownLatch hold = new CountDownLatch(1);
        CountDownLatch holding = new CountDownLatch(1);
        AtomicInteger runs = new AtomicInteger();
        KDpc dpc = new KDpc("removed", (d, ctx, a1, a2) -> runs.incrementAndGet(), null);
        dpc.setTargetProcessor(1);
        // Keep CPU1 busy at DISPATCH so the DPC stays queued.
        var busy = kernel.processor(1).executor().submit(() -> {
            int old = kernel.raiseIrql(Irql.DISPATCH_LEVEL);
            holding.countDown();
            try {
                hold.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            kernel.lowerIrql(old);
        });
        assertThat(holding.await(5, TimeUnit.SECONDS)).isTrue();
        atDispatchOn(0, () -> kernel.insertQueueDpc(dpc, null, null));
        assertThat(dpc.isQueued()).isTrue();
        assertThat(kernel.removeQueueDpc(dpc)).isTrue();
        assertThat(kernel.removeQueueDpc(dpc)).isFalse();
        hold.countDown();
        busy.syncUninterruptibly();
        kernel.flushQueuedDpcs();
        assertThat(runs).hasValue(0);
    }

    @Test
    void highImportanceGoesToTheHeadOfTheQueue() {
        List<String> order = new CopyOnWriteArrayList<>();
        KDpc low = new KDpc("medium", (d, c, a, b) -> order.add("medium"), null);
        KDpc high = new KDpc("high", (d, c, a, b) -> order.add("high"), null);
        high.setImportance(DpcImportance.HIGH);
        atDispatchOn(0, () -> {
            kernel.insertQueueDpc(low, null, null);
            kernel.insertQueueDpc(high, null, null);
        });
        assertThat(order).containsExactly("high", "medium");
    }

    @Test
    void locksTakenOutOfOrderAreReported() {
        KSpinLock startIo = new KSpinLock("StartIoLock", Irql.DISPATCH_LEVEL, KSpinLock.RANK_START_IO);
        KSpinLock interrupt = new KSpinLock("InterruptLock", Irql.DIRQL_MIN, KSpinLock.RANK_INTERRUPT);
        kernel.processor(0).executor().submit(() -> {
            int a = kernel.acquire(interrupt);
            int b = kernel.acquire(startIo); // wrong: StartIo lock inside the interrupt lock
            kernel.release(startIo, b);
            kernel.release(interrupt, a);
        }).syncUninterruptibly();
        assertThat(violations).anyMatch(v -> v.startsWith("SPIN_LOCK_ORDER") || v.startsWith("IRQL_TOO_HIGH_FOR_LOCK"));
        assertThat(violations).anyMatch(v -> v.startsWith("SPIN_LOCK_ORDER"));
    }

    @Test
    void acquiringAHeldLockIsADeadlockReportNotAHang() {
        KSpinLock l = new KSpinLock("StartIoLock", Irql.DISPATCH_LEVEL, KSpinLock.RANK_START_IO);
        Throwable[] thrown = new Throwable[1];
        kernel.processor(0).executor().submit(() -> {
            int a = kernel.acquire(l);
            try {
                kernel.acquire(l);
            } catch (IllegalStateException e) {
                thrown[0] = e;
            }
            kernel.release(l, a);
        }).syncUninterruptibly();
        assertThat(thrown[0]).hasMessageContaining("acquired twice");
        assertThat(violations).anyMatch(v -> v.startsWith("SPIN_LOCK_DOUBLE_ACQUIRE"));
        assertThat(kernel.processor(0).executor().submit(() -> kernel.currentIrql()).syncUninterruptibly().getNow())
                .isEqualTo(Irql.PASSIVE_LEVEL);
    }

    @Test
    void aRoutineThatLeaksALockIsReportedAndTheProcessorSurvives() {
        KSpinLock l = new KSpinLock("leaked", Irql.DISPATCH_LEVEL, KSpinLock.RANK_DPC);
        KDpc dpc = new KDpc("leaky", (d, c, a, b) -> kernel.acquire(l), null);
        atDispatchOn(0, () -> kernel.insertQueueDpc(dpc, null, null));
        assertThat(violations).anyMatch(v -> v.startsWith("IRQL_OR_LOCKS_LEAKED"));
        assertThat(l.isLocked()).isFalse();
    }
}
