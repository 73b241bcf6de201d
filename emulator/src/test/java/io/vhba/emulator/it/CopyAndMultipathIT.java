package io.vhba.emulator.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.vhba.emulator.config.ControllerConfig;
import io.vhba.emulator.config.LunConfig;
import io.vhba.emulator.config.TargetConfig;
import io.vhba.emulator.config.VhbaConfig;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * EXTENDED COPY, RECEIVE COPY RESULTS and the pages that announce them, and MultipathIO over two portals of one
 * process serving the same LUN: every iscsi-test-cu test of those suites passes, none is skipped.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CopyAndMultipathIT {
    private static TestTarget target;
    private static String url1;
    private static String url2;

    @BeforeAll
    static void start() {
        Peers.require("iscsi-test-cu", "apt-get install libiscsi-bin");
        target = TestTarget.start(new VhbaConfig(List.of("127.0.0.1:0", "127.0.0.1:0"), 2, "512M", "mailbox",
                new ControllerConfig(null, null, null), 30, true, null, 0, null,
                List.of(new TargetConfig(TestTarget.IQN, "vhba-test", null,
                        List.of(new LunConfig(0, "128M", 512, false, true, false, null))))));
        List<InetSocketAddress> portals = target.vhba().portals();
        assertThat(portals).hasSize(2);
        url1 = "iscsi://127.0.0.1:" + portals.get(0).getPort() + "/" + TestTarget.IQN + "/0";
        url2 = "iscsi://127.0.0.1:" + portals.get(1).getPort() + "/" + TestTarget.IQN + "/0";
    }

    @AfterAll
    static void stop() {
        if (target != null) {
            target.close();
        }
    }

    private static void assertAllPass(String suite, TestCu.Result r) {
        List<String> expected = TestCu.list(suite);
        assertThat(expected).as("iscsi-test-cu --list knows " + suite).isNotEmpty();
        assertThat(r.run().timedOut()).as("suite timed out:\n" + r.run()).isFalse();
        assertThat(r.with(TestCu.Verdict.FAIL)).as(r.run().stdout()).isEmpty();
        assertThat(r.with(TestCu.Verdict.SKIP)).as(r.run().stdout()).isEmpty();
        assertThat(r.with(TestCu.Verdict.PASS)).as(r.run().stdout())
                .containsExactlyInAnyOrderElementsOf(expected.stream().map(t -> t.substring(t.lastIndexOf('.') + 1)).toList());
    }

    /** Both portals are the same target port: the Device Identification page is identical, NAA and all. */
    @Test
    @Order(1)
    void bothPortalsReportTheSameDeviceIdentification() {
        ProcessRun a = ProcessRun.run(30, "iscsi-inq", "-i", TestCu.INITIATOR1, "-e", "1", "-c", "131", url1);
        ProcessRun b = ProcessRun.run(30, "iscsi-inq", "-i", TestCu.INITIATOR1, "-e", "1", "-c", "131", url2);
        assertThat(a.exitCode()).as(a.toString()).isZero();
        assertThat(a.stdout()).contains("NAA").isEqualTo(b.stdout());
    }

    /**
     * First, on a fresh medium: MultipathIO.CompareAndWrite zeroes LBAs 0..255 with WRITE SAME and then compares
     * LBA 256 too, which only a never-written block satisfies.
     */
    @Test
    @Order(2)
    void multipathIoPassesOverTheSecondPortal() {
        assertAllPass("ALL.MultipathIO", TestCu.run(180, "ALL.MultipathIO", url1, url2));
    }

    @ParameterizedTest
    @Order(3)
    @ValueSource(strings = {"ALL.ExtendedCopy", "ALL.ReceiveCopyResults", "ALL.Inquiry", "ALL.ReportSupportedOpcodes"})
    void everyTestOfTheSuitePasses(String suite) {
        assertAllPass(suite, TestCu.run(120, suite, url1));
    }
}
