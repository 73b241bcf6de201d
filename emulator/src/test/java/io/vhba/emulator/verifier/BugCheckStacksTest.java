package io.vhba.emulator.verifier;

import static org.assertj.core.api.Assertions.assertThat;

import io.vhba.emulator.kernel.KDpc;
import io.vhba.emulator.kernel.Kernel;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A bug check carries the stacks of the threads involved, not only the reporting one. */
class BugCheckStacksTest {

    /** The DPC the watchdog catches; its frame must show on CPU1's stack in the bug check. */
    private static void stuckDpcRoutine(StorportVerifier verifier, CountDownLatch seen) {
        while (verifier.bugChecks().isEmpty()) {
            Thread.onSpinWait();
        }
        seen.countDown();
    }

    @Test
    void aDpcWatchdogBugCheckHasTheWatchdogsAndTheStuckProcessorsStacks() throws Exception {
        StorportVerifier verifier = new StorportVerifier();
        try (Kernel kernel = Kernel.boot(2, verifier, TimeUnit.MILLISECONDS.toNanos(50))) {
            CountDownLatch seen = new CountDownLatch(1);
            KDpc stuck = new KDpc("stuck", (d, c, a, b) -> stuckDpcRoutine(verifier, seen), null);
            stuck.setTargetProcessor(1);
            kernel.insertQueueDpc(stuck, null, null);
            assertThat(seen.await(10, TimeUnit.SECONDS)).isTrue();

            BugCheck bc = verifier.bugChecks().get(0);
            assertThat(bc.code()).isEqualTo(0xF1);
            assertThat(bc.rule()).isEqualTo(VerifierRule.DPC_WATCHDOG);
            assertThat(bc.parameter1()).isEqualTo(0x3013);
            assertThat(bc.parameter2()).isEqualTo(1);   // the processor
            assertThat(bc.parameter3()).isGreaterThanOrEqualTo(50); // ms it had run when reported
            assertThat(bc.parameter4()).isEqualTo(50);  // the limit
            assertThat(bc.stacks()).containsOnlyKeys("dpc-watchdog", "cpu1");
            List<String> cpu1 = bc.stacks().get("cpu1");
            assertThat(cpu1).anyMatch(f -> f.contains(BugCheckStacksTest.class.getName() + ".stuckDpcRoutine("));
            // the kernel's dispatcher (package-private kernel.Dispatcher) is the frame that runs the DPC
            assertThat(cpu1).anyMatch(f -> f.contains(Kernel.class.getPackageName() + ".Dispatcher.runDpc("));
            assertThat(bc.stacks().get("dpc-watchdog")).anyMatch(f -> f.contains("DpcWatchdog"));
        }
    }

    @Test
    void aReportNamesEveryThreadItIsGiven() throws Exception {
        StorportVerifier verifier = new StorportVerifier();
        verifier.setPolicy(VerifierPolicy.LOG_ONLY);
        CountDownLatch parked = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread other = new Thread(() -> {
            parked.countDown();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "other-holder");
        other.start();
        assertThat(parked.await(10, TimeUnit.SECONDS)).isTrue();
        while (other.getState() != Thread.State.TIMED_WAITING) {
            Thread.onSpinWait();
        }
        verifier.report(VerifierRule.SPIN_LOCK_DOUBLE_ACQUIRE, "a0", 2, 2, 2, "held elsewhere", other);
        release.countDown();
        other.join();
        BugCheck bc = verifier.bugChecks().get(0);
        assertThat(bc.stacks()).containsOnlyKeys(Thread.currentThread().getName(), "other-holder");
        assertThat(bc.stacks().get("other-holder")).anyMatch(f -> f.contains("CountDownLatch.await"));
        assertThat(bc.stacks().get(Thread.currentThread().getName()))
                .anyMatch(f -> f.contains(BugCheckStacksTest.class.getName() + ".aReportNamesEveryThreadItIsGiven("));
    }
}
