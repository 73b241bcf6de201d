package io.vhba.emulator.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.vhba.emulator.config.ControllerConfig;
import io.vhba.emulator.config.LunConfig;
import io.vhba.emulator.config.TargetConfig;
import io.vhba.emulator.config.VhbaConfig;
import io.vhba.emulator.storport.Adapter;
import io.vhba.emulator.storport.AdapterState;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every sample miniport behind the same iSCSI target: the foundation's iscsi-test-cu subset
 * (the suites of {@link ConformanceSubsetIT}) with no failure and no skip, then fio random
 * writes at QD16 verified with crc32c, and the adapter's counters prove the I/O went through
 * that miniport.
 */
@Timeout(value = 15, unit = TimeUnit.MINUTES)
class MiniportMatrixIT {
    /** The suites ConformanceSubsetIT runs (issue 2's acceptance list). */
    private static final List<String> SUITES = List.of("ALL.Inquiry", "ALL.ReadCapacity10", "ALL.ReadCapacity16", "ALL.Read6",
            "ALL.Read10", "ALL.Read12", "ALL.Read16", "ALL.Write10", "ALL.Write12", "ALL.Write16", "ALL.TestUnitReady",
            "ALL.ModeSense6", "ALL.ReportSupportedOpcodes", "ALL.iSCSIResiduals", "ALL.iSCSIcmdsn");

    /** What proves a miniport's own path carried the I/O, beyond the port's counters. */
    private static final Map<String, String> DEVICE_COUNTER = Map.of("mailbox", "doorbells", "halfduplex", "submits",
            "ring", "submissions");

    private static TestTarget start(String miniport) {
        return TestTarget.start(new VhbaConfig(List.of("127.0.0.1:0"), 2, "512M", miniport, new ControllerConfig(null, null, null),
                30, true, null, 0, null,
                List.of(new TargetConfig(TestTarget.IQN, "vhba-matrix", null,
                        List.of(new LunConfig(0, "256M", 512, false, true, false, null))))));
    }

    @ParameterizedTest
    @ValueSource(strings = {"mailbox", "halfduplex", "virtual", "ring"})
    void conformanceSubsetAndFioVerifyPassThroughEveryMiniport(String miniport) {
        Peers.require("iscsi-test-cu", "apt-get install libiscsi-bin");
        Fio.binary();
        try (TestTarget target = start(miniport)) {
            Adapter adapter = target.adapter();
            assertThat(adapter.name()).isEqualTo(miniport + "0");
            assertThat(target.vhba().devices()).hasSize(miniport.equals("virtual") ? 0 : 1);

            SoftAssertions soft = new SoftAssertions();
            for (String suite : SUITES) {
                List<String> expected = TestCu.list(suite).stream().map(t -> t.substring(t.lastIndexOf('.') + 1)).toList();
                TestCu.Result r = TestCu.run(120, suite, target.url());
                soft.assertThat(expected).as("iscsi-test-cu --list knows " + suite).isNotEmpty();
                soft.assertThat(r.run().timedOut()).as(miniport + " " + suite + " timed out:\n" + r.run()).isFalse();
                soft.assertThat(r.with(TestCu.Verdict.PASS)).as(miniport + " " + suite + "\n" + r.run().stdout())
                        .containsExactlyInAnyOrderElementsOf(expected);
                soft.assertThat(r.with(TestCu.Verdict.FAIL)).as(miniport + " " + suite + "\n" + r.run().stdout()).isEmpty();
                soft.assertThat(r.with(TestCu.Verdict.SKIP)).as(miniport + " " + suite + "\n" + r.run().stdout()).isEmpty();
            }
            soft.assertAll();

            long completesBefore = adapter.counters().requestCompletes();
            long deviceBefore = deviceCounter(target, miniport);
            Fio.Run r = Fio.run(90, target.url(), "--rw=randwrite", "--bs=4k", "--iodepth=16", "--size=128m",
                    "--verify=crc32c", "--verify_backlog=2048", "--verify_fatal=1", "--time_based", "--runtime=10",
                    "--randrepeat=0", "--verify_state_save=0");
            assertThat(r.process().exitCode()).as(r.process().toString()).isZero();
            assertThat(r.error()).isZero();
            assertThat(r.writeBytes()).isGreaterThan(4L << 20);
            assertThat(r.readBytes()).as("the backlog verification read data back").isGreaterThan(1L << 20);
            long ios = (r.writeBytes() + r.readBytes()) / 4096;
            assertThat(adapter.counters().requestCompletes() - completesBefore)
                    .as("every fio I/O was completed by the %s miniport", miniport).isGreaterThanOrEqualTo(ios);
            if (DEVICE_COUNTER.containsKey(miniport)) {
                assertThat(deviceCounter(target, miniport) - deviceBefore)
                        .as("every fio I/O reached the %s controller", miniport).isGreaterThanOrEqualTo(ios);
            }
            if (miniport.equals("halfduplex")) {
                // raised from 1 by the miniport's DPC once the LUN's INQUIRY reported CMDQUE
                assertThat(adapter.logicalUnit(0, 0, 0).queueDepth()).isEqualTo(256);
            }
            assertThat(target.vhba().engine().verifier().bugChecks()).isEmpty();
            assertThat(adapter.state()).isEqualTo(AdapterState.RUNNING);
        }
    }

    private static long deviceCounter(TestTarget target, String miniport) {
        String counter = DEVICE_COUNTER.get(miniport);
        return counter == null ? 0 : target.device().model().statistics().get(counter);
    }
}
