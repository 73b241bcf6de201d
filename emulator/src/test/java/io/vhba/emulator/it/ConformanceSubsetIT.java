package io.vhba.emulator.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.vhba.emulator.config.ControllerConfig;
import io.vhba.emulator.config.LunConfig;
import io.vhba.emulator.config.TargetConfig;
import io.vhba.emulator.config.VhbaConfig;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The foundation's iscsi-test-cu subset (issue 2's acceptance list), suite by suite, behind the
 * default miniport and behind the multi-queue {@code ring} sample: every test passes, none is
 * skipped, none times out. ({@link MiniportMatrixIT} runs the same subset behind every sample.)
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class ConformanceSubsetIT {
    private static final List<String> MINIPORTS = List.of("mailbox", "ring");
    private static final List<String> SUITES = List.of("ALL.Inquiry", "ALL.ReadCapacity10", "ALL.ReadCapacity16",
            "ALL.Read6", "ALL.Read10", "ALL.Read12", "ALL.Read16", "ALL.Write10", "ALL.Write12", "ALL.Write16",
            "ALL.TestUnitReady", "ALL.ModeSense6", "ALL.ReportSupportedOpcodes", "ALL.iSCSIResiduals", "ALL.iSCSIcmdsn");
    private static final Map<String, TestTarget> TARGETS = new ConcurrentHashMap<>();

    @BeforeAll
    static void peers() {
        Peers.require("iscsi-test-cu", "apt-get install libiscsi-bin");
    }

    @AfterAll
    static void stop() {
        TARGETS.values().forEach(TestTarget::close);
        TARGETS.clear();
    }

    /** One target per miniport, started on first use and shared by its suites. */
    private static TestTarget target(String miniport) {
        return TARGETS.computeIfAbsent(miniport, m -> TestTarget.start(new VhbaConfig(List.of("127.0.0.1:0"), 2, "512M", m,
                new ControllerConfig(null, null, null), 30, true, null, 0, null,
                List.of(new TargetConfig(TestTarget.IQN, "vhba-test", null,
                        List.of(new LunConfig(0, "128M", 512, false, true, false, null)))))));
    }

    static Stream<Arguments> suites() {
        return MINIPORTS.stream().flatMap(m -> SUITES.stream().map(s -> Arguments.of(m, s)));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("suites")
    void everyTestOfTheSuitePasses(String miniport, String suite) {
        List<String> expected = TestCu.list(suite);
        assertThat(expected).as("iscsi-test-cu --list knows " + suite).isNotEmpty();
        TestTarget target = target(miniport);
        assertThat(target.adapter().name()).isEqualTo(miniport + "0");
        TestCu.Result r = TestCu.run(120, suite, target.url());
        assertThat(r.run().timedOut()).as("suite timed out:\n" + r.run()).isFalse();
        assertThat(r.with(TestCu.Verdict.FAIL)).as(r.run().stdout()).isEmpty();
        assertThat(r.with(TestCu.Verdict.SKIP)).as(r.run().stdout()).isEmpty();
        assertThat(r.with(TestCu.Verdict.PASS)).as(r.run().stdout())
                .containsExactlyInAnyOrderElementsOf(expected.stream().map(t -> t.substring(t.lastIndexOf('.') + 1)).toList());
        assertThat(target.vhba().engine().verifier().bugChecks()).isEmpty();
    }
}
