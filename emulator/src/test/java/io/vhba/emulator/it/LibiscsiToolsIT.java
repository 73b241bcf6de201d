package io.vhba.emulator.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** libiscsi's command-line tools against the in-process target: discovery, INQUIRY and VPD, capacity. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LibiscsiToolsIT {
    private static final String HINT = "apt-get install libiscsi-bin";
    private static TestTarget target;

    @BeforeAll
    static void start() {
        Peers.require("iscsi-ls", HINT);
        target = TestTarget.start("96M", 512);
    }

    @AfterAll
    static void stop() {
        if (target != null) {
            target.close();
        }
    }

    @Test
    void discoveryListsTheTargetAndItsLunWithTheRightSize() {
        long before = target.adapter().counters().requestCompletes();
        ProcessRun r = ProcessRun.run(30, "iscsi-ls", "-s", target.portalUrl());
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.stdout()).contains("Target:" + TestTarget.IQN + " Portal:127.0.0.1:" + target.port() + ",1");
        // iscsi-ls prints the size from READ CAPACITY(16): 96 MiB, with libiscsi's own rounding.
        assertThat(r.stdout()).containsPattern("Lun:0 +Type:DIRECT_ACCESS \\(Size:9[56]M\\)");
        assertThat(target.adapter().counters().requestCompletes()).as("READ CAPACITY went through the miniport").isGreaterThan(before);
    }

    @Test
    void inquiryShowsSpc4AndTheVpdPagesLinuxAndWindowsProbe() {
        ProcessRun std = ProcessRun.run(30, "iscsi-inq", target.url());
        assertThat(std.exitCode()).as(std.toString()).isZero();
        assertThat(std.stdout()).contains("Peripheral Device Type:DIRECT_ACCESS", "Version:6", "Vendor:VHBA", "CmdQue:1");

        ProcessRun vpd = ProcessRun.run(30, "iscsi-inq", "-e", "1", "-c", "0", target.url());
        assertThat(vpd.stdout()).contains("Page:0x00", "Page:0x80", "Page:0x83", "Page:0xb0", "Page:0xb1", "Page:0xb2");

        ProcessRun serial = ProcessRun.run(30, "iscsi-inq", "-e", "1", "-c", "128", target.url());
        assertThat(serial.stdout()).containsPattern("Unit Serial Number:\\[[0-9A-F]{16}\\]");

        ProcessRun id = ProcessRun.run(30, "iscsi-inq", "-e", "1", "-c", "131", target.url());
        assertThat(id.stdout()).contains("NAA", "Association:(1) TARGET_PORT", TestTarget.IQN + ",t,0x0001");

        ProcessRun limits = ProcessRun.run(30, "iscsi-inq", "-e", "1", "-c", "176", target.url());
        // The mailbox miniport takes 1 MiB per request: 2048 blocks of 512 bytes, whatever the disk could do.
        assertThat(limits.stdout()).contains("maximum transfer length:2048");
    }

    @Test
    void readCapacity16ShowsTheConfiguredSize() {
        ProcessRun r = ProcessRun.run(30, "iscsi-readcapacity16", target.url());
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.stdout()).contains("RETURNED LOGICAL BLOCK ADDRESS:" + (96L * 2048 - 1), "LOGICAL BLOCK LENGTH IN BYTES:512",
                "Total size:" + (96L << 20), "LBPME:1");
    }

    @Test
    void everyCommandWentThroughTheMiniportAnInterruptAndADpc() {
        long completes = target.adapter().counters().requestCompletes();
        long interrupts = target.interruptsDelivered();
        long dpcs = target.dpcsRun();
        long doorbells = target.device().model().statistics().get("doorbells");
        ProcessRun r = ProcessRun.run(30, "iscsi-readcapacity16", target.url());
        assertThat(r.exitCode()).isZero();
        // Login eats the unit attention with TEST UNIT READY, then READ CAPACITY(16): at least two commands.
        assertThat(target.adapter().counters().requestCompletes() - completes).isGreaterThanOrEqualTo(2);
        assertThat(target.device().model().statistics().get("doorbells") - doorbells).isGreaterThanOrEqualTo(2);
        assertThat(target.interruptsDelivered() - interrupts).isGreaterThanOrEqualTo(1);
        assertThat(target.dpcsRun() - dpcs).isGreaterThanOrEqualTo(2); // the miniport's DPC and the port's completion DPC
    }
}
