package io.vhba.emulator.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.vhba.emulator.config.AclEntryConfig;
import io.vhba.emulator.config.ControllerConfig;
import io.vhba.emulator.config.LunConfig;
import io.vhba.emulator.config.TargetConfig;
import io.vhba.emulator.config.VhbaConfig;
import io.vhba.emulator.iscsi.pdu.LoginResponse;
import io.vhba.emulator.scsi.core.access.AccessControlList;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * LUN masking through the whole stack: REPORT LUNS and commands to a masked LUN from libiscsi and on the wire, and
 * EXTENDED COPY naming a masked LUN (CVE-2020-28374 in LIO) refused with the data of that LUN unchanged; then ACL
 * changes through the in-process API.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AccessControlIT {
    private static final String HOST1 = "iqn.2026-12.test:host1";
    private static final String HOST2 = "iqn.2026-12.test:host2";
    private static final String KEYS = "HeaderDigest=None\0DataDigest=None\0MaxRecvDataSegmentLength=65536\0"
            + "FirstBurstLength=65536\0InitialR2T=No\0ImmediateData=Yes\0";
    private static TestTarget target;

    @BeforeAll
    static void start() {
        LunConfig[] luns = new LunConfig[3];
        for (int i = 0; i < 3; i++) {
            luns[i] = new LunConfig(i, "16M", 512, false, true, false, null);
        }
        target = TestTarget.start(new VhbaConfig(List.of("127.0.0.1:0"), 2, "256M", "mailbox",
                new ControllerConfig(null, null, null), 30, true, null, 0, null,
                List.of(new TargetConfig(TestTarget.IQN, "vhba-test", null, List.of(luns), true,
                        List.of(new AclEntryConfig(HOST1, List.of(0, 2), null), AclEntryConfig.of(HOST2))))));
    }

    @AfterAll
    static void stop() {
        if (target != null) {
            target.close();
        }
    }

    private static WireInitiator session(String initiator) throws IOException {
        WireInitiator w = new WireInitiator(target.port());
        LoginResponse r = w.login(initiator, TestTarget.IQN, KEYS);
        assertThat(r.statusClass()).as("login of " + initiator).isZero();
        r.release();
        return w;
    }

    /** TEST UNIT READY on every LUN the initiator sees, taking the power-on unit attention. */
    private static void settle(WireInitiator w, int... luns) throws IOException {
        for (int lun : luns) {
            w.command(lun, new byte[6], null, 0);
        }
    }

    private static byte[] reportLuns(WireInitiator w) throws IOException {
        WireInitiator.Answer a = w.command(0, new byte[] {(byte) 0xA0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0}, null, 256);
        assertThat(a.status()).isZero();
        return a.data();
    }

    @Test
    @Order(1)
    void libiscsiSeesOnlyTheLunsOfItsMask() {
        Peers.require("iscsi-ls", "apt-get install libiscsi-bin");
        ProcessRun ls = ProcessRun.run(30, "iscsi-ls", "-s", "-i", HOST1, target.portalUrl());
        assertThat(ls.exitCode()).as(ls.toString()).isZero();
        assertThat(ls.stdout()).containsPattern("Lun:0\\s").containsPattern("Lun:2\\s").doesNotContainPattern("Lun:1\\s");
        ProcessRun all = ProcessRun.run(30, "iscsi-ls", "-s", "-i", HOST2, target.portalUrl());
        assertThat(all.stdout()).containsPattern("Lun:0\\s").containsPattern("Lun:1\\s").containsPattern("Lun:2\\s");
        ProcessRun masked = ProcessRun.run(30, "iscsi-inq", "-i", HOST1, target.portalUrl() + "/" + TestTarget.IQN + "/1");
        assertThat(masked.exitCode()).as(masked.toString()).isNotZero();
        ProcessRun visible = ProcessRun.run(30, "iscsi-inq", "-i", HOST1, target.portalUrl() + "/" + TestTarget.IQN + "/2");
        assertThat(visible.exitCode()).as(visible.toString()).isZero();
    }

    @Test
    @Order(2)
    void reportLunsAndAMaskedLunOnTheWire() throws IOException {
        try (WireInitiator w = session(HOST1)) {
            settle(w, 0, 2);
            byte[] list = reportLuns(w);
            assertThat(Arrays.copyOf(list, 4)).containsExactly(0, 0, 0, 16);
            assertThat(Arrays.copyOfRange(list, 8, 24)).containsExactly(0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0);
            WireInitiator.Answer tur = w.command(1, new byte[6], null, 0);
            assertThat(tur.status()).isEqualTo(2);
            assertThat(tur.sense()[2] & 0x0F).as("ILLEGAL REQUEST").isEqualTo(5);
            assertThat(tur.sense()[12]).as("LOGICAL UNIT NOT SUPPORTED").isEqualTo((byte) 0x25);
            WireInitiator.Answer read = w.command(1, WireInitiator.read10(0, 1), null, 512);
            assertThat(read.status()).isEqualTo(2);
            assertThat(read.dataBytes()).isZero();
        }
    }

    @Test
    @Order(3)
    void extendedCopyMayNotNameAMaskedLunAndLeavesItsDataAlone() throws IOException {
        byte[] p0 = pattern(0);
        byte[] p1 = pattern(1);
        byte[] naa0;
        byte[] naa1;
        byte[] naa2;
        try (WireInitiator admin = session(HOST2)) {
            settle(admin, 0, 1, 2);
            assertThat(admin.command(0, write10(0, 8), p0, 0).status()).isZero();
            assertThat(admin.command(1, write10(0, 8), p1, 0).status()).isZero();
            naa0 = naa(admin, 0);
            naa1 = naa(admin, 1);
            naa2 = naa(admin, 2);
        }
        try (WireInitiator w = session(HOST1)) {
            settle(w, 0, 2);
            // Read the masked LUN into a visible one: refused as if LUN 1 did not exist.
            assertCopyTargetNotReachable(w.command(0, xcopy(naa1, naa0), xcopyList(naa1, naa0), 0));
            // Overwrite the masked LUN from a visible one: refused too.
            assertCopyTargetNotReachable(w.command(2, xcopy(naa0, naa1), xcopyList(naa0, naa1), 0));
            // Between two visible LUNs the copy runs.
            WireInitiator.Answer ok = w.command(0, xcopy(naa0, naa2), xcopyList(naa0, naa2), 0);
            assertThat(ok.status()).as(Arrays.toString(ok.sense())).isZero();
            assertThat(w.command(2, WireInitiator.read10(0, 8), null, 4096).data()).isEqualTo(p0);
        }
        try (WireInitiator admin = session(HOST2)) {
            settle(admin, 0, 1, 2);
            assertThat(admin.command(1, WireInitiator.read10(0, 8), null, 4096).data()).as("LUN 1 unchanged").isEqualTo(p1);
            assertThat(admin.command(0, WireInitiator.read10(0, 8), null, 4096).data()).as("LUN 0 unchanged").isEqualTo(p0);
        }
    }

    @Test
    @Order(4)
    void aclChangesTakeEffectForNewLoginsAndNewCommands() throws IOException {
        AccessControlList acl = target.vhba().acl(TestTarget.IQN);
        String late = "iqn.2026-12.test:late";
        try (WireInitiator refused = new WireInitiator(target.port())) {
            LoginResponse r = refused.login(late, TestTarget.IQN, KEYS);
            assertThat(r.statusClass() << 8 | r.statusDetail()).isEqualTo(0x0202);
            r.release();
        }
        try (WireInitiator host2 = session(HOST2)) {
            settle(host2, 0, 1, 2);
            acl.allow(late, List.of(1));
            WireInitiator.Answer ua = host2.command(0, new byte[6], null, 0);
            assertThat(ua.status()).as("the ACL changed what REPORT LUNS may answer").isEqualTo(2);
            assertThat(ua.sense()[12]).as("REPORTED LUNS DATA HAS CHANGED").isEqualTo((byte) 0x3F);
            assertThat(ua.sense()[13]).isEqualTo((byte) 0x0E);
            try (WireInitiator w = session(late)) {
                settle(w, 1);
                assertThat(w.command(1, new byte[6], null, 0).status()).isZero();
                assertThat(w.command(0, new byte[6], null, 0).status()).as("LUN 0 is masked for it").isEqualTo(2);
            }
            acl.deny(HOST2);
            settle(host2, 0);
            assertThat(Arrays.copyOf(reportLuns(host2), 4)).as("a denied initiator's session sees no LUN any more")
                    .containsExactly(0, 0, 0, 0);
        }
        try (WireInitiator denied = new WireInitiator(target.port())) {
            LoginResponse r = denied.login(HOST2, TestTarget.IQN, KEYS);
            assertThat(r.statusClass() << 8 | r.statusDetail()).isEqualTo(0x0202);
            r.release();
        }
        assertThat(acl.revoke(HOST2)).isTrue();
    }

    private static void assertCopyTargetNotReachable(WireInitiator.Answer a) {
        assertThat(a.status()).isEqualTo(2);
        assertThat(a.sense()[2] & 0x0F).as("COPY ABORTED (LIO's answer, SPC-4 6.4)").isEqualTo(0x0A);
        assertThat(a.sense()[12]).as("COPY TARGET DEVICE NOT REACHABLE").isEqualTo((byte) 0x0D);
        assertThat(a.sense()[13]).isEqualTo((byte) 0x02);
    }

    private static byte[] pattern(long seed) {
        byte[] b = new byte[4096];
        new Random(seed).nextBytes(b);
        return b;
    }

    private static byte[] write10(long lba, int blocks) {
        return new byte[] {0x2A, 0, (byte) (lba >>> 24), (byte) (lba >>> 16), (byte) (lba >>> 8), (byte) lba, 0,
                (byte) (blocks >>> 8), (byte) blocks, 0};
    }

    /** The 16-byte NAA designator that VPD 83h of {@code lun} starts with. */
    private static byte[] naa(WireInitiator w, int lun) throws IOException {
        WireInitiator.Answer a = w.command(lun, new byte[] {0x12, 0x01, (byte) 0x83, 0, (byte) 255, 0}, null, 255);
        assertThat(a.status()).isZero();
        assertThat(a.data()[5] & 0x0F).as("first designator is NAA").isEqualTo(3);
        return Arrays.copyOfRange(a.data(), 8, 24);
    }

    private static byte[] xcopy(byte[] from, byte[] to) {
        return new byte[] {(byte) 0x83, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) xcopyList(from, to).length, 0, 0};
    }

    /** EXTENDED COPY(LID1), no list ID: 8 blocks from LBA 0 of {@code from} to LBA 0 of {@code to}. */
    private static byte[] xcopyList(byte[] from, byte[] to) {
        byte[] list = new byte[16 + 64 + 28];
        list[1] = 0x18; // LIST ID USAGE 11b
        list[3] = 64;
        list[11] = 28;
        System.arraycopy(cscd(from), 0, list, 16, 32);
        System.arraycopy(cscd(to), 0, list, 48, 32);
        byte[] segment = {0x02, 0, 0, 0x18, 0, 0, 0, 1, 0, 0, 0, 8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
        System.arraycopy(segment, 0, list, 80, 28);
        return list;
    }

    private static byte[] cscd(byte[] naa) {
        byte[] d = new byte[32];
        d[0] = (byte) 0xE4;
        d[4] = 0x01;
        d[5] = 0x03;
        d[7] = 16;
        System.arraycopy(naa, 0, d, 8, 16);
        d[30] = 0x02; // DISK BLOCK LENGTH 512
        return d;
    }
}
