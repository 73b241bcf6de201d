package io.vhba.emulator.verifier.broken;

import static org.assertj.core.api.Assertions.assertThat;

import io.vhba.emulator.storport.AdapterState;
import io.vhba.emulator.verifier.BugCheck;
import io.vhba.emulator.verifier.BugCheckException;
import io.vhba.emulator.verifier.VerifierPolicy;
import io.vhba.emulator.verifier.VerifierRule;
import io.vhba.miniport.SrbStatus;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every run-time rule of STORPORT.md, each proven by a miniport that breaks it: the exact bug
 * check (code, sub-code, parameters 2-4, rule, routine), then what the policy does with it.
 */
class VerifierRulesTest {

    static Stream<Arguments> brokenMiniports() {
        return Stream.<Supplier<BrokenMiniport>>of(
                CompletionBreakers.CompletesTwice::new,
                CompletionBreakers.CompletesPending::new,
                CompletionBreakers.TouchesSrbAfterCompletion::new,
                CompletionBreakers.BusyAfterStarting::new,
                CompletionBreakers.BuildIoDropsTheRequest::new,
                CompletionBreakers.ThrowsInStartIo::new,
                LockBreakers.IsrTakesStartIoLock::new,
                LockBreakers.TakesDpcLockInsideStartIoLock::new,
                LockBreakers.TakesStartIoLockTwice::new,
                LockBreakers.ReleasesWithoutAcquire::new,
                LockBreakers.SpinLockInHalfDuplexStartIo::new,
                ServiceBreakers.InitializesDpcInStartIo::new,
                ServiceBreakers.EnablesPassiveInitInStartIo::new,
                ServiceBreakers.StallsTooLong::new,
                ServiceBreakers.StallsInStartIo::new,
                ServiceBreakers.UncachedExtensionInStartIo::new,
                ServiceBreakers.MapsAForeignRange::new,
                ServiceBreakers.ReadsAnUndeclaredRegister::new,
                ServiceBreakers.TranslatesAForeignAddress::new,
                ServiceBreakers.TimerWithoutRoutine::new,
                ServiceBreakers.UndocumentedNotification::new,
                ServiceBreakers.CallsTheKernelDirectly::new)
                .map(s -> Arguments.of(s.get().name(), s));
    }

    /** The bug check the miniport expects, and nothing before it. */
    private static BugCheck assertExactBugCheck(Rig rig) throws InterruptedException {
        BrokenMiniport m = rig.driver;
        BugCheck bc = rig.verifier.awaitBugCheck(m.rule(), 10, TimeUnit.SECONDS);
        assertThat(bc).as("bug check %s", m.rule()).isNotNull();
        assertThat(rig.verifier.bugChecks().get(0)).as("first bug check").isSameAs(bc);
        assertThat(bc.code()).isEqualTo(VerifierRule.SCSI_VERIFIER_DETECTED_VIOLATION);
        assertThat(bc.parameter1()).isEqualTo(m.rule().subCode());
        assertThat(new long[] {bc.parameter2(), bc.parameter3(), bc.parameter4()})
                .as("parameters 2-4").containsExactly(m.expectedParameters());
        assertThat(bc.rule()).isEqualTo(m.rule());
        assertThat(bc.summary()).contains(m.rule().name(), m.rule().sdvRule());
        assertThat(bc.adapter()).isEqualTo("broken0");
        assertThat(bc.routine()).isEqualTo("broken0 " + m.routine());
        // The stack of the thread that broke the rule, with the miniport's frame on it.
        assertThat(bc.stacks()).isNotEmpty();
        java.util.List<String> stack = bc.stacks().values().iterator().next();
        if (m.reportedInsideTheMiniport()) {
            assertThat(stack).anyMatch(f -> f.contains(m.getClass().getName() + "."));
        } else {
            assertThat(stack).anyMatch(f -> f.contains("io.vhba.emulator.storport.Adapter."));
        }
        return bc;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenMiniports")
    void byDefaultTheAdapterStopsAndTheLunFailsItsIo(String name, Supplier<BrokenMiniport> miniport) throws Exception {
        try (Rig rig = new Rig(miniport.get(), VerifierPolicy.STOP_ADAPTER)) {
            assertThat(rig.read().get(10, TimeUnit.SECONDS)).as("before the bug").isEqualTo(SrbStatus.SUCCESS);
            rig.driver.arm();
            SrbStatus broken = rig.read().get(10, TimeUnit.SECONDS);
            BugCheck bc = assertExactBugCheck(rig);
            rig.settle();
            assertThat(rig.adapter.state()).isEqualTo(AdapterState.FAILED);
            // The request that met the bug: returned NO_HBA, unless the port had it back already.
            assertThat(broken).isIn(SrbStatus.NO_HBA, SrbStatus.SUCCESS);
            // Every later request fails: NO_HBA, which the SCSI core turns into HARDWARE ERROR / LOGICAL UNIT FAILURE.
            assertThat(rig.read().get(10, TimeUnit.SECONDS)).isEqualTo(SrbStatus.NO_HBA);
            assertThat(rig.escaped).as("nothing escapes the engine by default").isEmpty();
            assertThat(rig.verifier.bugChecks()).first().isSameAs(bc);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenMiniports")
    void withTheThrowPolicyTheBugCheckIsThrown(String name, Supplier<BrokenMiniport> miniport) throws Exception {
        try (Rig rig = new Rig(miniport.get(), VerifierPolicy.THROW)) {
            rig.driver.arm();
            rig.read();
            BugCheck bc = assertExactBugCheck(rig);
            rig.settle();
            // Thrown to whoever started the work: the submitter for BuildIo/StartIo, the kernel's
            // dispatcher for an ISR or DPC.
            assertThat(rig.escaped).isNotEmpty();
            BugCheckException thrown = rig.escaped.get(0);
            assertThat(thrown.bugCheck()).isSameAs(bc);
            assertThat(thrown).hasMessage(bc.summary());
            if (rig.driver.inIssuePath()) {
                assertThat(rig.escapedFrom.get(0)).isEqualTo("submit");
            } else {
                assertThat(rig.escapedFrom.get(0)).matches("(ISR|DPC) broken0 .*");
            }
            assertThat(rig.adapter.state()).isEqualTo(AdapterState.FAILED);
        }
    }
}
