package io.vhba.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.testkit.engine.EventConditions.container;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedSuccessfully;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.EventConditions.test;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.instanceOf;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import io.vhba.emulator.it.WireInitiator;
import io.vhba.emulator.verifier.BugCheck;
import io.vhba.emulator.verifier.VerifierRule;
import java.io.IOException;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.platform.engine.discovery.DiscoverySelectors;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;

/**
 * The extension fails a test during which the verifier bug-checked, and only that test: the fixtures below
 * drive {@link PoisonedReadMiniport} into bug check 0xF1/0x1004 and run through EngineTestKit.
 */
@Timeout(120)
class BugCheckFailureTest {

    private static Events run(Class<?> fixture) {
        return EngineTestKit.engine("junit-jupiter")
                .configurationParameter(OnlyUnderTestKit.PARAMETER, "true")
                .selectors(DiscoverySelectors.selectClass(fixture))
                .execute()
                .allEvents();
    }

    /** What the failure must say: the bug check's code and sub-code, rule, adapter and routine, and when. */
    private static boolean namesTheBugCheck(String message, String test) {
        return message.contains("during " + test) && message.contains("BugCheck 0xF1 (0x1004")
                && message.contains("INVALID_SRB_STATUS") && message.contains("on " + PoisonedReadMiniport.NAME + "0")
                && message.contains("failOnBugCheck(false)");
    }

    /** Reads the poisoned block; what comes back (an error, or nothing once the adapter stopped) does not matter. */
    static void readThePoisonedBlock(VhbaHandle target) throws IOException {
        try (WireInitiator w = Wire.loggedIn(target)) {
            w.command(WireInitiator.read10(PoisonedReadMiniport.POISON_LBA, 1), null, 512);
        } catch (IOException e) {
            // no answer from a stopped adapter within the initiator's wait: the bug check is what is judged
        }
    }

    @Test
    void aStaticExtensionFailsTheTestThatBugCheckedAndNoOther() {
        Events events = run(PerClassFixture.class);
        events.assertThatEvents()
                .haveExactly(1, event(test("readsAGoodBlockFirst"), finishedSuccessfully()))
                .haveExactly(1, event(test("readsThePoisonedBlock"), finishedWithFailure(instanceOf(BugCheckFailure.class),
                        message(m -> namesTheBugCheck(m, "readsThePoisonedBlock")))))
                .haveExactly(1, event(test("runsOnAfterwards"), finishedSuccessfully()))
                .haveExactly(1, event(container(PerClassFixture.class), finishedSuccessfully()));
    }

    @Test
    void anInstanceExtensionFailsTheTestAfterStoppingItsTarget() {
        run(PerTestFixture.class).assertThatEvents()
                .haveExactly(1, event(test("readsThePoisonedBlock"), finishedWithFailure(instanceOf(BugCheckFailure.class),
                        message(m -> namesTheBugCheck(m, "readsThePoisonedBlock")))))
                .haveExactly(1, event(test("aFreshTargetHasNoBugCheck"), finishedSuccessfully()));
    }

    @Test
    void failOnBugCheckFalseLetsATestProvokeAndInspectOne() {
        run(OptOutFixture.class).assertThatEvents()
                .haveExactly(1, event(test("provokesABugCheckOnPurpose"), finishedSuccessfully()));
    }

    @Test
    void aUrlParameterForALunTheTargetLacksFailsTheTestNamingIt() {
        run(MissingLunFixture.class).assertThatEvents()
                .haveExactly(1, event(test("wantsLun3"), finishedWithFailure(instanceOf(ParameterResolutionException.class),
                        message("@VhbaUrl(lun = 3): the target has no LUN 3; its LUNs: [0]"))))
                .haveExactly(1, event(test("wantsAnInteger"), finishedWithFailure(instanceOf(ParameterResolutionException.class),
                        message(m -> m.startsWith("@VhbaUrl fills a String or URI parameter, not java.lang.Integer")))));
    }

    // ---- fixtures: they fail on purpose, and run only under EngineTestKit -----------------------------

    @ExtendWith(OnlyUnderTestKit.class)
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    static class PerClassFixture {
        @RegisterExtension
        static VhbaExtension vhba = VhbaExtension.builder().lun(0, "16M").miniport(PoisonedReadMiniport.NAME).build();

        @Test
        @Order(1)
        void readsAGoodBlockFirst(VhbaHandle target) throws IOException {
            try (WireInitiator w = Wire.loggedIn(target)) {
                assertThat(w.command(WireInitiator.read10(0, 1), null, 512).status()).isZero();
            }
        }

        @Test
        @Order(2)
        void readsThePoisonedBlock(VhbaHandle target) throws IOException {
            readThePoisonedBlock(target);
        }

        @Test
        @Order(3)
        void runsOnAfterwards(VhbaHandle target) {
            assertThat(target.bugChecks()).hasSize(1); // judged already, and blamed on the test that caused it
        }
    }

    @ExtendWith(OnlyUnderTestKit.class)
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    static class PerTestFixture {
        @RegisterExtension
        VhbaExtension vhba = VhbaExtension.builder().lun(0, "16M").miniport(PoisonedReadMiniport.NAME).build();

        @Test
        @Order(1)
        void readsThePoisonedBlock(VhbaHandle target) throws IOException {
            readThePoisonedBlock(target);
        }

        @Test
        @Order(2)
        void aFreshTargetHasNoBugCheck(VhbaHandle target) {
            assertThat(target.bugChecks()).isEmpty();
        }
    }

    @ExtendWith(OnlyUnderTestKit.class)
    static class OptOutFixture {
        @RegisterExtension
        static VhbaExtension vhba = VhbaExtension.builder().lun(0, "16M").miniport(PoisonedReadMiniport.NAME)
                .failOnBugCheck(false).build();

        @Test
        void provokesABugCheckOnPurpose(VhbaHandle target) throws IOException {
            readThePoisonedBlock(target);
            BugCheck b = target.bugChecks().get(0);
            assertThat(b.rule()).isEqualTo(VerifierRule.INVALID_SRB_STATUS);
            assertThat(b.code()).isEqualTo(0xF1);
            assertThat(b.adapter()).isEqualTo(PoisonedReadMiniport.NAME + "0");
        }
    }

    @ExtendWith(OnlyUnderTestKit.class)
    static class MissingLunFixture {
        @RegisterExtension
        static VhbaExtension vhba = VhbaExtension.builder().lun(0, "16M").build();

        @Test
        void wantsLun3(@VhbaUrl(lun = 3) String url) {
            assertThat(url).isNotNull();
        }

        @Test
        void wantsAnInteger(@VhbaUrl Integer url) {
            assertThat(url).isNotNull();
        }
    }
}
