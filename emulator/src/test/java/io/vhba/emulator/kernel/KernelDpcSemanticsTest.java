package io.vhba.emulator.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.util.concurrent.Future;
import io.vhba.emulator.kernel.ke.KeDpcServices;
import io.vhba.emulator.kernel.sched.DeterministicScheduler;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * DPC importance, queue depth and request rate as "Organization of DPC Queues" describes them, the target processor
 * check, the flush that would deadlock, and failures of DPC and ISR routines reaching the test. On simulated
 * processors, so that times and interleavings are exact.
 */
@Timeout(60)
class KernelDpcSemanticsTest {
    private DeterministicScheduler s;
    private Kernel kernel;
    private final RecordingSink sink = new RecordingSink();
    private final List<String> ran = new ArrayList<>();

    @BeforeEach
    void boot() {
        s = new DeterministicScheduler(1, DeterministicScheduler.Source.CLOSED, null, "random", 1, 0);
        s.join("test", null);
        kernel = Kernel.boot(2, sink, s);
    }

    @AfterEach
    void shutdown() {
        if (s.isSimulatedThread()) {
            kernel.close();
            s.leave();
        }
        s.close();
    }

    private KDpc dpc(String name, DpcImportance importance, int target) {
        KDpc d = new KDpc(name, (k, ctx, a1, a2) -> ran.add(name + "@" + kernel.nanoTime() / 1000 + "us"), null);
        d.setImportance(importance);
        d.setTargetProcessor(target);
        return d;
    }

    private String name(String entry) {
        return entry.substring(0, entry.indexOf('@'));
    }

    /** Runs {@code body} on {@code cpu} at DISPATCH_LEVEL, then lowers to PASSIVE, and waits for it. */
    private void atDispatchOn(int cpu, Runnable body) {
        Future<?> f = kernel.processor(cpu).executor().submit(() -> {
            int old = kernel.raiseIrql(Irql.DISPATCH_LEVEL);
            try {
                body.run();
            } finally {
                kernel.lowerIrql(old);
            }
        });
        kernel.await(f);
    }

    @Test
    void highImportanceGoesToTheHeadOfTheQueueAndTheOthersToTheTail() {
        atDispatchOn(0, () -> {
            kernel.insertQueueDpc(dpc("a", DpcImportance.MEDIUM, -1), null, null);
            kernel.insertQueueDpc(dpc("b", DpcImportance.MEDIUM_HIGH, -1), null, null);
            kernel.insertQueueDpc(dpc("c", DpcImportance.HIGH, -1), null, null);
            kernel.insertQueueDpc(dpc("d", DpcImportance.LOW, -1), null, null);
        });
        assertThat(ran.stream().map(this::name)).containsExactly("c", "a", "b", "d");
    }

    @Test
    void aLowImportanceDpcWaitsForTheClockTickWhenTheRateIsHighAndTheQueueShort() {
        // a busy tick: eight requests, so the next tick's rate is (0 + 8) / 2 = 4, at least MinimumDpcRate (3)
        atDispatchOn(0, () -> {
            for (int i = 0; i < 8; i++) {
                kernel.insertQueueDpc(dpc("busy" + i, DpcImportance.MEDIUM, -1), null, null);
            }
        });
        s.sleepNanos(Kernel.TICK_NANOS - kernel.nanoTime() % Kernel.TICK_NANOS + 1000); // into the next tick
        ran.clear();
        long insertedAt = kernel.nanoTime();
        atDispatchOn(0, () -> kernel.insertQueueDpc(dpc("low", DpcImportance.LOW, -1), null, null));
        assertThat(ran).as("not drained when the IRQL dropped").isEmpty();
        s.sleepNanos(Kernel.TICK_NANOS);
        assertThat(ran).hasSize(1);
        long ranAt = Long.parseLong(ran.get(0).replaceAll(".*@(\\d+)us", "$1")) * 1000;
        assertThat(ranAt / Kernel.TICK_NANOS).as("at the next clock tick").isEqualTo(insertedAt / Kernel.TICK_NANOS + 1);
    }

    @Test
    void aLowImportanceDpcDrainsAtOnceWhenTheRateIsLowOrTheQueueDeep() {
        atDispatchOn(0, () -> kernel.insertQueueDpc(dpc("quiet", DpcImportance.LOW, -1), null, null));
        assertThat(ran.stream().map(this::name)).containsExactly("quiet"); // rate 0 < MinimumDpcRate
    }

    @Test
    void aMediumDpcForAnotherProcessorWaitsForItsTickWhileMediumHighRunsThereAtOnce() {
        long t0 = kernel.nanoTime();
        atDispatchOn(0, () -> {
            kernel.insertQueueDpc(dpc("medium", DpcImportance.MEDIUM, 1), null, null);
            kernel.insertQueueDpc(dpc("mediumhigh", DpcImportance.MEDIUM_HIGH, 1), null, null);
        });
        s.sleepNanos(TimeUnit.MILLISECONDS.toNanos(20));
        assertThat(ran).hasSize(2);
        // MediumHigh drained CPU1's queue at once, and the medium one with it (a drain empties the queue)
        assertThat(ran.stream().map(this::name)).containsExactly("medium", "mediumhigh");
        kernel.await(kernel.processor(0).executor().submit(() -> { }));
        ran.clear();
        long t1 = kernel.nanoTime();
        atDispatchOn(0, () -> kernel.insertQueueDpc(dpc("alone", DpcImportance.MEDIUM, 1), null, null));
        s.sleepNanos(TimeUnit.MILLISECONDS.toNanos(1));
        assertThat(ran).as("a medium DPC for another processor does not interrupt it").isEmpty();
        s.sleepNanos(Kernel.TICK_NANOS);
        assertThat(ran.stream().map(this::name)).containsExactly("alone");
        assertThat(t1).isGreaterThan(t0);
    }

    @Test
    void aTargetProcessorThatDoesNotExistIsABugCheckInTheKernelAndInTheKeFacade() {
        KDpc far = dpc("far", DpcImportance.MEDIUM, 7);
        boolean[] inserted = {true};
        atDispatchOn(0, () -> inserted[0] = kernel.insertQueueDpc(far, null, null));
        assertThat(inserted[0]).isFalse();
        assertThat(ran).isEmpty();
        assertThat(sink.rules()).containsExactly(KernelRule.DPC_TARGET_PROCESSOR_INVALID);
        assertThat(sink.violations.get(0).p2()).isEqualTo(7);

        KeDpcServices ke = new KeDpcServices(kernel);
        io.vhba.miniport.kernel.KDpc kd = new io.vhba.miniport.kernel.KDpc();
        ke.initializeDpc(kd, (d, ctx, a1, a2) -> { }, null);
        ke.setTargetProcessorDpc(kd, 2);
        assertThat(sink.rules()).containsExactly(KernelRule.DPC_TARGET_PROCESSOR_INVALID,
                KernelRule.DPC_TARGET_PROCESSOR_INVALID);
    }

    @Test
    void twoProcessorsFlushingAtOnceAreReportedAndBothReturn() {
        Future<?> a = kernel.processor(0).executor().submit(kernel::flushQueuedDpcs);
        Future<?> b = kernel.processor(1).executor().submit(kernel::flushQueuedDpcs);
        kernel.await(a);
        kernel.await(b);
        assertThat(sink.rules()).containsExactly(KernelRule.DPC_FLUSH_DEADLOCK);
        assertThat(sink.violations.get(0).detail()).contains("KeFlushQueuedDpcs on CPU", "would wait for each other");
    }
}
