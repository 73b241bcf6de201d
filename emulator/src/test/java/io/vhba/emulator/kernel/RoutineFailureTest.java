package io.vhba.emulator.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vhba.emulator.verifier.StorportVerifier;
import io.vhba.emulator.verifier.VerifierPolicy;
import io.vhba.emulator.verifier.VerifierRule;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** An assertion failing inside a DPC or ISR reaches the test, through a sink that rethrows. */
@Timeout(30)
class RoutineFailureTest {

    @Test
    void anAssertionErrorThrownInADpcReachesTheTestThatWaitsForTheWork() {
        Kernel kernel = Kernel.boot(2, KernelViolationSink.THROWING);
        try {
            KDpc dpc = new KDpc("asserts", (d, ctx, a1, a2) -> {
                throw new AssertionError("expected 1 but was 2");
            }, null);
            var f = kernel.processor(0).executor().submit(() -> {
                int old = kernel.raiseIrql(Irql.DISPATCH_LEVEL);
                kernel.insertQueueDpc(dpc, null, null);
                kernel.lowerIrql(old); // the DPC runs here, and its failure comes out here
            });
            assertThatThrownBy(f::syncUninterruptibly).isInstanceOf(AssertionError.class).hasMessage("expected 1 but was 2");
            assertThat(kernel.currentIrql()).isEqualTo(Irql.PASSIVE_LEVEL);
            // the processor survived: the next DPC runs
            boolean[] ran = {false};
            kernel.processor(0).executor().submit(() -> {
                int old = kernel.raiseIrql(Irql.DISPATCH_LEVEL);
                kernel.insertQueueDpc(new KDpc("next", (d, ctx, a1, a2) -> ran[0] = true, null), null, null);
                kernel.lowerIrql(old);
            }).syncUninterruptibly();
            assertThat(ran[0]).isTrue();
        } finally {
            kernel.close();
        }
    }

    @Test
    void anIsrFailureNobodyWaitsForIsRethrownWhenTheKernelCloses() throws Exception {
        Kernel kernel = Kernel.boot(2, KernelViolationSink.THROWING);
        KSpinLock lock = new KSpinLock("isr", Irql.DIRQL_MIN, KSpinLock.RANK_INTERRUPT);
        KInterrupt ki = new KInterrupt("msi0", Irql.DIRQL_MIN, lock, kernel.processor(1), false, i -> {
            throw new AssertionError("ISR saw a bad status");
        });
        kernel.signal(ki); // from the test thread: the processor's loop delivers it, nobody waits
        for (int i = 0; i < 200 && kernel.escapedFailures().isEmpty(); i++) {
            Thread.sleep(10);
        }
        assertThat(kernel.escapedFailures()).hasSize(1);
        assertThatThrownBy(kernel::close).isInstanceOf(AssertionError.class).hasMessage("ISR saw a bad status");
    }

    @Test
    void theVerifiersThrowPolicyRethrowsARoutinesFailureAfterRecordingTheBugCheck() {
        StorportVerifier v = new StorportVerifier();
        v.setPolicy(VerifierPolicy.THROW);
        assertThatThrownBy(() -> v.routineFailed("DPC x", new AssertionError("boom"))).isInstanceOf(AssertionError.class);
        assertThat(v.bugChecks()).extracting(b -> b.rule()).containsExactly(VerifierRule.MINIPORT_EXCEPTION);
        v.setPolicy(VerifierPolicy.STOP_ADAPTER);
        v.routineFailed("DPC y", new IllegalStateException("logged, not thrown"));
        assertThat(v.bugChecks()).hasSize(2);
    }
}
