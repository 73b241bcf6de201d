package io.vhba.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vhba.emulator.fault.FaultSpecException;
import io.vhba.emulator.it.Peers;
import io.vhba.emulator.it.ProcessRun;
import io.vhba.emulator.it.WireInitiator;
import java.net.URI;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A static VhbaExtension: one target for the class, driven by libiscsi's tools and the emulator's wire initiator. */
@Timeout(120)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PerClassTargetTest {
    private static final String HINT = "apt-get install libiscsi-bin";
    private static final String IQN = "iqn.2026-11.io.vhba.test:junit-class";
    /** Blocks 2048-2055 of LUN 0 are bad from the start, for the whole class. */
    private static final long BAD_FROM_START = 2048;

    @RegisterExtension
    static VhbaExtension vhba = VhbaExtension.builder()
            .iqn(IQN)
            .lun(0, "64M")
            .lun(1, "32M", 4096)
            .readOnlyLun(2, "16M")
            .miniport("mailbox")
            .fault("medium-error,lun=0,lba=2048-2055")
            .build();

    private static int portAtBeforeAll;

    @BeforeAll
    static void aBeforeAllMethodSeesTheTarget(VhbaHandle target) {
        portAtBeforeAll = target.port();
    }

    @AfterAll
    static void theTargetRunsUntilTheClassEnds(VhbaHandle target) {
        assertThat(target.port()).isEqualTo(portAtBeforeAll);
    }

    @Test
    @Order(1)
    void urlsNameTheLoopbackPortalTheTargetAndTheLun(@VhbaUrl String lun0, @VhbaUrl(lun = 1) URI lun1, VhbaHandle target) {
        assertThat(target.port()).isPositive().isEqualTo(portAtBeforeAll);
        assertThat(lun0).isEqualTo("iscsi://127.0.0.1:" + target.port() + "/" + IQN + "/0").isEqualTo(vhba.handle().url(0));
        assertThat(lun1).isEqualTo(URI.create("iscsi://127.0.0.1:" + target.port() + "/" + IQN + "/1"));
        assertThat(target.luns()).containsExactly(0, 1, 2);
        assertThat(target.vhba().config().targets().get(0).luns()).extracting(l -> l.readOnly())
                .containsExactly(false, false, true);
        assertThat(target.vhba().urls()).contains(lun0, lun1.toString());
        assertThatThrownBy(() -> target.url(9)).hasMessage("the target has no LUN 9; its LUNs: [0, 1, 2]");
    }

    @Test
    @Order(2)
    void iscsiInqReadsTheStandardInquiryData(@VhbaUrl String url) {
        Peers.require("iscsi-inq", HINT);
        ProcessRun r = ProcessRun.run(30, "iscsi-inq", url);
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.stdout()).contains("Peripheral Device Type:DIRECT_ACCESS", "Vendor:VHBA");
    }

    @Test
    @Order(3)
    void iscsiReadCapacity16SeesEachLunsGeometry(@VhbaUrl(lun = 1) String lun1) {
        Peers.require("iscsi-readcapacity16", HINT);
        ProcessRun r = ProcessRun.run(30, "iscsi-readcapacity16", lun1);
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.stdout()).contains("RETURNED LOGICAL BLOCK ADDRESS:" + ((32L << 20) / 4096 - 1),
                "LOGICAL BLOCK LENGTH IN BYTES:4096", "Total size:" + (32L << 20));
    }

    @Test
    @Order(4)
    void iscsiLsDiscoversTheTargetAndListsItsLuns(VhbaHandle target) {
        Peers.require("iscsi-ls", HINT);
        ProcessRun r = ProcessRun.run(30, "iscsi-ls", "-s", target.portalUrl());
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.stdout()).contains("Target:" + IQN + " Portal:" + target.portal() + ",1")
                .containsPattern("Lun:0 +Type:DIRECT_ACCESS")
                .containsPattern("Lun:1 +Type:DIRECT_ACCESS")
                .containsPattern("Lun:2 +Type:DIRECT_ACCESS");
    }

    @Test
    @Order(5)
    void aFaultInstalledByTheTestAnswersOnTheWireUntilRemoved(VhbaHandle target) throws Exception {
        try (WireInitiator w = Wire.loggedIn(target)) {
            assertThat(w.command(WireInitiator.read10(100, 1), null, 512).status()).isZero();
            InjectedFault fault = target.fault("medium-error,lun=0,lba=100");
            WireInitiator.Answer bad = w.command(WireInitiator.read10(100, 1), null, 512);
            assertThat(bad.status()).isEqualTo(Wire.CHECK_CONDITION);
            assertThat(Wire.senseKey(bad)).as("MEDIUM ERROR").isEqualTo(0x3);
            assertThat(fault.fired()).isEqualTo(1);
            assertThat(fault.remove()).isTrue();
            assertThat(w.command(WireInitiator.read10(100, 1), null, 512).status()).isZero();
            assertThat(fault.remove()).as("already gone").isFalse();
        }
    }

    @Test
    @Order(6)
    void aFaultLeftInstalledByATest(VhbaHandle target) {
        target.fault("medium-error,lun=0,lba=200");
        assertThat(target.vhba().faults().active()).hasSize(2);
    }

    @Test
    @Order(7)
    void isRemovedWhenThatTestEndsWhileTheBuiltInFaultStays(VhbaHandle target) throws Exception {
        assertThat(target.vhba().faults().active()).singleElement().asString().startsWith("medium-error");
        try (WireInitiator w = Wire.loggedIn(target)) {
            assertThat(w.command(WireInitiator.read10(200, 1), null, 512).status()).isZero();
            WireInitiator.Answer bad = w.command(WireInitiator.read10(BAD_FROM_START, 1), null, 512);
            assertThat(Wire.senseKey(bad)).as("the builder's fault, installed at start").isEqualTo(0x3);
        }
    }

    @Test
    @Order(8)
    void aFaultSpecTheTargetCannotHonourIsRefusedWithItsReason(VhbaHandle target) {
        assertThatThrownBy(() -> target.fault("medium-error,lun=7,lba=1")).isInstanceOf(FaultSpecException.class)
                .hasMessageContaining("no LUN 7");
    }

    @Test
    @Order(9)
    void resizeIsSeenByTheInitiatorsNextReadCapacity(VhbaHandle target) {
        Peers.require("iscsi-readcapacity16", HINT);
        target.resize(2, "48M");
        ProcessRun r = ProcessRun.run(30, "iscsi-readcapacity16", target.url(2));
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.stdout()).contains("Total size:" + (48L << 20));
        assertThatThrownBy(() -> target.resize(5, "1G")).hasMessageContaining("no LUN 5");
    }

    @Test
    @Order(10)
    void aHealthyRunHasNoBugChecks(VhbaHandle target) {
        assertThat(target.bugChecks()).isEmpty();
        assertThat(target.vhba().engine().adapters()).singleElement()
                .satisfies(a -> assertThat(a.name()).isEqualTo("mailbox0"));
    }
}
