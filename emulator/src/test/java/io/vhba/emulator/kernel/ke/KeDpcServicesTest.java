package io.vhba.emulator.kernel.ke;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vhba.emulator.kernel.Irql;
import io.vhba.emulator.kernel.Kernel;
import io.vhba.emulator.kernel.KernelRule;
import io.vhba.emulator.kernel.RecordingSink;
import io.vhba.miniport.kernel.KDpc;
import io.vhba.miniport.kernel.KDpcImportance;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The {@code Ke*Dpc} facade a driver sees, over the kernel's per-processor DPC queues. */
class KeDpcServicesTest {
    private final RecordingSink sink = new RecordingSink();
    private final Kernel kernel = Kernel.boot(2, sink);
    private final KeDpcServices ke = new KeDpcServices(kernel);

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

    @Test
    void customDpcGetsTheDpcItsContextAndTheFirstInsertsArgumentsOnce() {
        KDpc dpc = new KDpc();
        List<String> seen = new CopyOnWriteArrayList<>();
        ke.initializeDpc(dpc, (d, ctx, a1, a2) -> seen.add((d == dpc) + " " + ctx + " " + a1 + " " + a2
                + " cpu" + ke.getCurrentProcessorNumber() + " " + Irql.name(kernel.currentIrql())), "ctx");
        boolean[] inserted = new boolean[2];
        atDispatchOn(0, () -> {
            inserted[0] = ke.insertQueueDpc(dpc, "one", 1);
            inserted[1] = ke.insertQueueDpc(dpc, "two", 2);
        });
        assertThat(inserted).containsExactly(true, false);
        assertThat(seen).containsExactly("true ctx one 1 cpu0 DISPATCH_LEVEL");
    }

    @Test
    void aDpcRequeuedWhileRunningRunsAgainConcurrentlyOnItsNewTarget() {
        KDpc dpc = new KDpc();
        CountDownLatch secondStarted = new CountDownLatch(1);
        List<String> runs = new CopyOnWriteArrayList<>();
        boolean[] overlapped = new boolean[1];
        ke.initializeDpc(dpc, (d, ctx, a1, a2) -> {
            runs.add(a1 + "@cpu" + ke.getCurrentProcessorNumber());
            if ("first".equals(a1)) {
                ke.setTargetProcessorDpc(d, 1);
                assertThat(ke.insertQueueDpc(d, "second", null)).isTrue();
                await(secondStarted);
                overlapped[0] = secondStarted.getCount() == 0; // the second run began while this one ran
            } else {
                secondStarted.countDown();
            }
        }, null);
        ke.setTargetProcessorDpc(dpc, 0);
        atDispatchOn(0, () -> ke.insertQueueDpc(dpc, "first", null));
        ke.flushQueuedDpcs();
        assertThat(runs).containsExactly("first@cpu0", "second@cpu1");
        assertThat(overlapped[0]).isTrue();
    }

    @Test
    void theTargetProcessorIsWhereItRuns() {
        KDpc dpc = new KDpc();
        List<Integer> where = new CopyOnWriteArrayList<>();
        ke.initializeDpc(dpc, (d, ctx, a1, a2) -> where.add(ke.getCurrentProcessorNumber()), null);
        ke.setTargetProcessorDpc(dpc, 1);
        atDispatchOn(0, () -> ke.insertQueueDpc(dpc, null, null));
        ke.flushQueuedDpcs();
        assertThat(where).containsExactly(1);
        ke.setTargetProcessorDpc(dpc, 2); // a bug check (the sink records it), and the DPC keeps its target
        assertThat(sink.rules()).containsExactly(KernelRule.DPC_TARGET_PROCESSOR_INVALID);
        atDispatchOn(0, () -> ke.insertQueueDpc(dpc, null, null));
        ke.flushQueuedDpcs();
        assertThat(where).containsExactly(1, 1);
    }

    @Test
    void highImportanceRunsFirst() {
        List<String> order = new CopyOnWriteArrayList<>();
        KDpc medium = new KDpc();
        KDpc high = new KDpc();
        ke.initializeDpc(medium, (d, c, a, b) -> order.add("medium"), null);
        ke.initializeDpc(high, (d, c, a, b) -> order.add("high"), null);
        ke.setImportanceDpc(high, KDpcImportance.HIGH_IMPORTANCE);
        atDispatchOn(0, () -> {
            ke.insertQueueDpc(medium, null, null);
            ke.insertQueueDpc(high, null, null);
        });
        assertThat(order).containsExactly("high", "medium");
    }

    @Test
    void removeTakesAQueuedDpcOutAndFlushRunsTheRest() throws Exception {
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger removedRuns = new AtomicInteger();
        AtomicInteger keptRuns = new AtomicInteger();
        KDpc blocker = new KDpc();
        KDpc removed = new KDpc();
        KDpc kept = new KDpc();
        ke.initializeDpc(blocker, (d, c, a, b) -> {
            holding.countDown();
            await(release);
        }, null);
        ke.initializeDpc(removed, (d, c, a, b) -> removedRuns.incrementAndGet(), null);
        ke.initializeDpc(kept, (d, c, a, b) -> keptRuns.incrementAndGet(), null);
        for (KDpc d : List.of(blocker, removed, kept)) {
            ke.setTargetProcessorDpc(d, 1);
        }
        ke.insertQueueDpc(blocker, null, null);
        assertThat(holding.await(10, TimeUnit.SECONDS)).isTrue();
        ke.insertQueueDpc(removed, null, null);
        ke.insertQueueDpc(kept, null, null);
        assertThat(ke.removeQueueDpc(removed)).isTrue();
        assertThat(ke.removeQueueDpc(removed)).isFalse();
        release.countDown();
        ke.flushQueuedDpcs();
        assertThat(keptRuns).hasValue(1);
        assertThat(removedRuns).hasValue(0);
    }

    @Test
    void flushAtDispatchLevelIsAnIrqlViolation() {
        atDispatchOn(1, ke::flushQueuedDpcs);
        assertThat(sink.rules()).containsExactly(KernelRule.WAIT_AT_RAISED_IRQL);
    }

    @Test
    void anUninitialisedKdpcIsRefused() {
        assertThatThrownBy(() -> ke.insertQueueDpc(new KDpc(), null, null))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("KeInitializeDpc");
    }
}
