package io.vhba.emulator.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.vhba.emulator.config.ControllerConfig;
import io.vhba.emulator.config.LunConfig;
import io.vhba.emulator.config.TargetConfig;
import io.vhba.emulator.config.VhbaConfig;
import io.vhba.emulator.iscsi.pdu.DataIn;
import io.vhba.emulator.iscsi.pdu.LoginResponse;
import io.vhba.emulator.iscsi.pdu.LogoutRequest;
import io.vhba.emulator.iscsi.pdu.ScsiCommand;
import io.vhba.emulator.iscsi.pdu.ScsiResponse;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
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
                        List.of(new LunConfig(0, "128M", 512, false, true, false, null),
                                new LunConfig(1, "64M", 4096, false, true, false, null))))));
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

    /** What one command ended with on the wire. */
    private record Reply(int status, byte[] data, byte[] sense) {}

    /** Runs one command with immediate Data-Out ({@code out}) or Data-In ({@code in} bytes) on a logged-in session. */
    private static Reply exchange(WireInitiator w, int lun, byte[] cdb, byte[] out, int in) throws IOException {
        byte[] c = Arrays.copyOf(cdb, 16);
        int itt = w.nextItt();
        w.send(new ScsiCommand(false, true, in > 0, out != null, 1, (long) lun << 48, itt, out != null ? out.length : in,
                w.nextCmdSn(), 0, c, -1, out == null ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(out)));
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        while (true) {
            Object pdu = w.receive();
            if (pdu instanceof DataIn d) {
                data.writeBytes(bytes(d.data()));
                d.release();
                if (d.statusPresent()) {
                    return new Reply(d.status(), data.toByteArray(), new byte[0]);
                }
            } else {
                ScsiResponse r = (ScsiResponse) pdu;
                byte[] senseWithLength = bytes(r.data());
                r.release();
                byte[] sense = senseWithLength.length < 2 ? new byte[0] : Arrays.copyOfRange(senseWithLength, 2, senseWithLength.length);
                return new Reply(r.status(), data.toByteArray(), sense);
            }
        }
    }

    private static byte[] bytes(ByteBuf b) {
        byte[] a = new byte[b.readableBytes()];
        b.getBytes(b.readerIndex(), a);
        return a;
    }

    private static WireInitiator session() throws IOException {
        WireInitiator w = new WireInitiator(target.vhba().portals().get(1).getPort());
        LoginResponse login = w.login("iqn.2026-11.test:xcopy", TestTarget.IQN, "HeaderDigest=None\0DataDigest=None\0"
                + "MaxRecvDataSegmentLength=65536\0FirstBurstLength=65536\0InitialR2T=No\0ImmediateData=Yes\0");
        login.release();
        for (int lun = 0; lun < 2; lun++) {
            exchange(w, lun, new byte[6], null, 0); // TEST UNIT READY takes the power-on unit attention
        }
        return w;
    }

    /** The 16-byte NAA designator VPD 83h of {@code lun} starts with. */
    private static byte[] naa(WireInitiator w, int lun) throws IOException {
        Reply r = exchange(w, lun, new byte[] {0x12, 0x01, (byte) 0x83, 0, (byte) 255, 0}, null, 255);
        assertThat(r.status()).isZero();
        assertThat(r.data()[5] & 0x0F).as("first designator is NAA").isEqualTo(3);
        return Arrays.copyOfRange(r.data(), 8, 24);
    }

    private static byte[] cscd(byte[] naa, int blockLength) {
        byte[] d = new byte[32];
        d[0] = (byte) 0xE4;
        d[4] = 0x01;
        d[5] = 0x03;
        d[7] = 16;
        System.arraycopy(naa, 0, d, 8, 16);
        d[29] = (byte) (blockLength >> 16);
        d[30] = (byte) (blockLength >> 8);
        d[31] = (byte) blockLength;
        return d;
    }

    /**
     * Through the whole stack: the controller copies from LUN 0 (512-byte blocks) to LUN 1 (4096-byte blocks), found
     * by the NAA designators the initiator read; the held COPY STATUS is gone after the session ends (nexus loss).
     */
    @Test
    @Order(4)
    void theControllerCopiesBetweenTwoLunsAndForgetsHeldResultsWithTheNexus() throws Exception {
        byte[] pattern = new byte[4096];
        new java.util.Random(7).nextBytes(pattern);
        try (WireInitiator w = session()) {
            byte[] lun0 = naa(w, 0);
            byte[] lun1 = naa(w, 1);
            assertThat(lun0).isNotEqualTo(lun1);
            byte[] write10 = {0x2A, 0, 0, 0, 0x10, 0, 0, 0, 8, 0}; // 8 blocks at LBA 4096
            assertThat(exchange(w, 0, write10, pattern, 0).status()).isZero();
            byte[] list = new byte[16 + 64 + 28];
            list[0] = 5; // LIST IDENTIFIER 5, LIST ID USAGE 00b: hold the results
            list[3] = 64;
            list[11] = 28;
            System.arraycopy(cscd(lun0, 512), 0, list, 16, 32);
            System.arraycopy(cscd(lun1, 4096), 0, list, 48, 32);
            byte[] segment = {0x02, 0, 0, 0x18, 0, 0, 0, 1, 0, 0, 0, 8, 0, 0, 0, 0, 0, 0, 0x10, 0, 0, 0, 0, 0, 0, 0, 0, 3};
            System.arraycopy(segment, 0, list, 80, 28); // 8 source blocks from LBA 4096 to LUN 1's LBA 3
            byte[] xcopy = {(byte) 0x83, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) list.length, 0, 0};
            Reply copied = exchange(w, 1, xcopy, list, 0);
            assertThat(copied.status()).as(Arrays.toString(copied.sense())).isZero();
            Reply back = exchange(w, 1, new byte[] {0x28, 0, 0, 0, 0, 3, 0, 0, 1, 0}, null, 4096);
            assertThat(back.data()).isEqualTo(pattern);
            w.send(new LogoutRequest(true, 0, w.nextItt(), 0, w.cmdSn(), 0));
            w.receive();
            assertThat(w.awaitClose()).isTrue();
        }
        try (WireInitiator w = session()) {
            byte[] status = {(byte) 0x84, 0x00, 5, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x04, 0, 0, 0};
            Reply r = exchange(w, 1, status, null, 1024);
            assertThat(r.status()).isEqualTo(2);
            assertThat(r.sense()[12]).as("INVALID FIELD IN CDB").isEqualTo((byte) 0x24);
        }
    }

    @ParameterizedTest
    @Order(3)
    @ValueSource(strings = {"ALL.ExtendedCopy", "ALL.ReceiveCopyResults", "ALL.Inquiry", "ALL.ReportSupportedOpcodes"})
    void everyTestOfTheSuitePasses(String suite) {
        assertAllPass(suite, TestCu.run(120, suite, url1));
    }
}
