package io.vhba.emulator.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Timeout;

/**
 * The foundation's iscsi-test-cu subset (issue 2's acceptance list), suite by suite: every test
 * passes, none is skipped, none times out.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class ConformanceSubsetIT {
    private static TestTarget target;

    @BeforeAll
    static void start() {
        Peers.require("iscsi-test-cu", "apt-get install libiscsi-bin");
        target = TestTarget.start("128M", 512);
    }

    @AfterAll
    static void stop() {
        if (target != null) {
            target.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"ALL.Inquiry", "ALL.ReadCapacity10", "ALL.ReadCapacity16", "ALL.Read6", "ALL.Read10",
            "ALL.Read12", "ALL.Read16", "ALL.Write10", "ALL.Write12", "ALL.Write16", "ALL.TestUnitReady",
            "ALL.ModeSense6", "ALL.ReportSupportedOpcodes", "ALL.iSCSIResiduals", "ALL.iSCSIcmdsn"})
    void everyTestOfTheSuitePasses(String suite) {
        List<String> expected = TestCu.list(suite);
        assertThat(expected).as("iscsi-test-cu --list knows " + suite).isNotEmpty();
        TestCu.Result r = TestCu.run(120, suite, target.url());
        assertThat(r.run().timedOut()).as("suite timed out:\n" + r.run()).isFalse();
        assertThat(r.with(TestCu.Verdict.FAIL)).as(r.run().stdout()).isEmpty();
        assertThat(r.with(TestCu.Verdict.SKIP)).as(r.run().stdout()).isEmpty();
        assertThat(r.with(TestCu.Verdict.PASS)).as(r.run().stdout())
                .containsExactlyInAnyOrderElementsOf(expected.stream().map(t -> t.substring(t.lastIndexOf('.') + 1)).toList());
    }
}
