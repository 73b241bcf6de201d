package io.vhba.emulator.kernel.wdf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vhba.emulator.kernel.Irql;
import io.vhba.emulator.kernel.KernelRule;
import io.vhba.emulator.kernel.Kernel;
import io.vhba.emulator.kernel.RecordingSink;
import io.vhba.miniport.wdf.WdfDpc;
import io.vhba.miniport.wdf.WdfDpcConfig;
import io.vhba.miniport.wdf.WdfObject;
import io.vhba.miniport.wdf.WdfObjectAttributes;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The KMDF-style DPC object over the kernel's DPC queues. */
class WdfDpcTest {
    private final RecordingSink sink = new RecordingSink();
    private final Kernel kernel = Kernel.boot(2, sink);
    private final WdfFramework wdf = new WdfFramework(kernel);
    private final WdfObject device = wdf.objectCreate(WdfObjectAttributes.none());

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

    private static void await(CountDownLatch l) {
        try {
            l.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void awaitBlocked(Thread t) {
        while (t.getState() != Thread.State.WAITING && t.getState() != Thread.State.TIMED_WAITING && t.isAlive()) {
            Thread.onSpinWait();
        }
    }

    /** Keeps processor {@code cpu} busy in a DPC until {@code release}, so what is queued behind stays queued. */
    private void holdProcessor(int cpu, CountDownLatch release) throws InterruptedException {
        CountDownLatch holding = new CountDownLatch(1);
        var ke = new io.vhba.emulator.kernel.KDpc("holder", (d, c, a, b) -> {
            holding.countDown();
            await(release);
        }, null);
        ke.setTargetProcessor(cpu);
        kernel.insertQueueDpc(ke, null, null);
        assertThat(holding.await(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void enqueueIsQueuedOnceAndTheCallbackGetsItsHandle() {
        List<WdfDpc> seen = new CopyOnWriteArrayList<>();
        WdfDpc dpc = wdf.dpcCreate(WdfDpcConfig.init(seen::add), WdfObjectAttributes.parent(device));
        boolean[] queued = new boolean[2];
        atDispatchOn(0, () -> {
            queued[0] = wdf.dpcEnqueue(dpc);
            queued[1] = wdf.dpcEnqueue(dpc);
        });
        assertThat(queued).containsExactly(true, false);
        assertThat(seen).containsExactly(dpc);
        assertThat(wdf.dpcGetParentObject(dpc)).isSameAs(device);
    }

    @Test
    void withoutSerialisationARequeuedDpcRunsAgainWhileTheFirstRunIsStillInside() {
        CountDownLatch secondStarted = new CountDownLatch(1);
        AtomicInteger runs = new AtomicInteger();
        List<Integer> cpus = new CopyOnWriteArrayList<>();
        FxDpc[] self = new FxDpc[1];
        self[0] = (FxDpc) wdf.dpcCreate(new WdfDpcConfig(d -> {
            cpus.add(kernel.currentProcessor().number());
            if (runs.incrementAndGet() == 1) {
                self[0].kdpc.setTargetProcessor(1); // WdfDpcWdmGetDpc + KeSetTargetProcessorDpc
                assertThat(wdf.dpcEnqueue(d)).isTrue();
                await(secondStarted);
            } else {
                secondStarted.countDown();
            }
        }, false), WdfObjectAttributes.parent(device));
        self[0].kdpc.setTargetProcessor(0);
        atDispatchOn(0, () -> wdf.dpcEnqueue(self[0]));
        kernel.flushQueuedDpcs();
        assertThat(secondStarted.getCount()).isZero();
        assertThat(cpus).containsExactly(0, 1);
    }

    @Test
    void cancelWithoutWaitRemovesAQueuedDpcAndReportsWhetherItWasQueued() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        FxDpc dpc = (FxDpc) wdf.dpcCreate(WdfDpcConfig.init(d -> runs.incrementAndGet()), WdfObjectAttributes.parent(device));
        dpc.kdpc.setTargetProcessor(1);
        CountDownLatch release = new CountDownLatch(1);
        holdProcessor(1, release);
        assertThat(wdf.dpcEnqueue(dpc)).isTrue();
        assertThat(wdf.dpcCancel(dpc, false)).isTrue();
        assertThat(wdf.dpcCancel(dpc, false)).isFalse();
        release.countDown();
        kernel.flushQueuedDpcs();
        assertThat(runs).hasValue(0);
    }

    @Test
    void cancelWithWaitReturnsOnlyAfterTheRunningCallbackFinished() throws Exception {
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean finished = new AtomicBoolean();
        FxDpc dpc = (FxDpc) wdf.dpcCreate(WdfDpcConfig.init(d -> {
            running.countDown();
            await(release);
            finished.set(true);
        }), WdfObjectAttributes.parent(device));
        dpc.kdpc.setTargetProcessor(1);
        wdf.dpcEnqueue(dpc);
        assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();
        boolean[] result = new boolean[2];
        Thread canceller = new Thread(() -> {
            result[0] = wdf.dpcCancel(dpc, true);
            result[1] = finished.get();
        }, "canceller");
        canceller.start();
        awaitBlocked(canceller);
        release.countDown();
        canceller.join();
        assertThat(result).containsExactly(false, true); // it was running, not queued; and it had finished
    }

    @Test
    void cancelWithWaitFromItsOwnCallbackIsAWdfViolation() {
        WdfDpc[] self = new WdfDpc[1];
        self[0] = wdf.dpcCreate(WdfDpcConfig.init(d -> wdf.dpcCancel(d, true)), WdfObjectAttributes.parent(device));
        atDispatchOn(0, () -> wdf.dpcEnqueue(self[0]));
        assertThat(sink.violations).singleElement().satisfies(v -> {
            assertThat(v.rule()).isEqualTo(KernelRule.WDF_DPC_CANCEL_WAIT_IN_OWN_CALLBACK);
            assertThat(v.p2()).isEqualTo(System.identityHashCode(self[0]));
        });
    }

    @Test
    void cancelWithWaitAtDispatchLevelIsAnIrqlMismatch() {
        WdfDpc dpc = wdf.dpcCreate(WdfDpcConfig.init(d -> { }), WdfObjectAttributes.parent(device));
        atDispatchOn(1, () -> wdf.dpcCancel(dpc, true));
        assertThat(sink.violations).singleElement().satisfies(v -> {
            assertThat(v.rule()).isEqualTo(KernelRule.WDF_IRQL_MISMATCH);
            assertThat(v.p2()).isEqualTo(Irql.DISPATCH_LEVEL);
        });
    }

    @Test
    void deletingTheParentCancelsAndWaitsForTheDpcThenItsHandleIsDead() throws Exception {
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean finished = new AtomicBoolean();
        AtomicInteger queuedRuns = new AtomicInteger();
        WdfObject parent = wdf.objectCreate(WdfObjectAttributes.parent(device));
        FxDpc busy = (FxDpc) wdf.dpcCreate(WdfDpcConfig.init(d -> {
            running.countDown();
            await(release);
            finished.set(true);
        }), WdfObjectAttributes.parent(parent));
        FxDpc queued = (FxDpc) wdf.dpcCreate(new WdfDpcConfig(d -> queuedRuns.incrementAndGet(), false),
                WdfObjectAttributes.parent(parent));
        busy.kdpc.setTargetProcessor(1);
        queued.kdpc.setTargetProcessor(0);
        CountDownLatch releaseCpu0 = new CountDownLatch(1);
        holdProcessor(0, releaseCpu0);
        wdf.dpcEnqueue(busy);
        assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();
        wdf.dpcEnqueue(queued);
        boolean[] seen = new boolean[1];
        Thread deleter = new Thread(() -> {
            wdf.objectDelete(parent);
            seen[0] = finished.get();
        }, "deleter");
        deleter.start();
        awaitBlocked(deleter);
        releaseCpu0.countDown();
        release.countDown();
        deleter.join();
        assertThat(seen[0]).isTrue();
        assertThat(queuedRuns).hasValue(0); // removed from CPU0's queue before it could run
        assertThat(wdf.dpcEnqueue(busy)).isFalse();
        assertThat(sink.violations).singleElement().satisfies(v -> {
            assertThat(v.rule()).isEqualTo(KernelRule.WDF_HANDLE_DELETED);
            assertThat(v.p2()).isEqualTo(System.identityHashCode(busy));
        });
        assertThatThrownBy(() -> wdf.dpcCreate(WdfDpcConfig.init(d -> { }), WdfObjectAttributes.parent(parent)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aDpcNeedsAParent() {
        assertThatThrownBy(() -> wdf.dpcCreate(WdfDpcConfig.init(d -> { }), WdfObjectAttributes.none()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ParentObject");
    }

    @Test
    void automaticSerialisationKeepsTwoDpcsOfOneParentFromOverlapping() throws Exception {
        FxObject parent = (FxObject) wdf.objectCreate(WdfObjectAttributes.parent(device));
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger maxInside = new AtomicInteger();
        List<String> order = new CopyOnWriteArrayList<>();
        CountDownLatch aInside = new CountDownLatch(1);
        FxDpc a = (FxDpc) wdf.dpcCreate(WdfDpcConfig.init(d -> {
            maxInside.accumulateAndGet(inside.incrementAndGet(), Math::max);
            order.add("a in");
            aInside.countDown();
            // Stay inside until B is blocked on the parent's lock: without the lock B would be in here too.
            while (!parent.lock.hasWaiters()) {
                Thread.onSpinWait();
            }
            order.add("a out");
            inside.decrementAndGet();
        }), WdfObjectAttributes.parent(parent));
        FxDpc b = (FxDpc) wdf.dpcCreate(WdfDpcConfig.init(d -> {
            maxInside.accumulateAndGet(inside.incrementAndGet(), Math::max);
            order.add("b in");
            inside.decrementAndGet();
        }), WdfObjectAttributes.parent(parent));
        a.kdpc.setTargetProcessor(0);
        b.kdpc.setTargetProcessor(1);
        wdf.dpcEnqueue(a);
        assertThat(aInside.await(10, TimeUnit.SECONDS)).isTrue();
        wdf.dpcEnqueue(b);
        kernel.flushQueuedDpcs();
        assertThat(order).containsExactly("a in", "a out", "b in");
        assertThat(maxInside).hasValue(1);
        assertThat(sink.violations).isEmpty();
    }

    @Test
    void theParentsLockAlsoExcludesTheCallback() throws Exception {
        WdfObject parent = wdf.objectCreate(WdfObjectAttributes.parent(device));
        List<String> order = new CopyOnWriteArrayList<>();
        FxDpc dpc = (FxDpc) wdf.dpcCreate(WdfDpcConfig.init(d -> order.add("callback")), WdfObjectAttributes.parent(parent));
        dpc.kdpc.setTargetProcessor(1);
        kernel.processor(0).executor().submit(() -> {
            wdf.objectAcquireLock(parent);
            wdf.dpcEnqueue(dpc);
            while (!((FxObject) parent).lock.hasWaiters()) {
                Thread.onSpinWait();
            }
            order.add("driver holds the lock");
            wdf.objectReleaseLock(parent);
        }).syncUninterruptibly();
        kernel.flushQueuedDpcs();
        assertThat(order).containsExactly("driver holds the lock", "callback");
    }
}
