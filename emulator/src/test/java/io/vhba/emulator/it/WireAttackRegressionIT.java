package io.vhba.emulator.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.util.ResourceLeakDetector;
import io.vhba.emulator.config.ChapConfig;
import io.vhba.emulator.config.ControllerConfig;
import io.vhba.emulator.config.LunConfig;
import io.vhba.emulator.config.TargetConfig;
import io.vhba.emulator.config.VhbaConfig;
import io.vhba.emulator.fuzz.Frames;
import io.vhba.emulator.fuzz.LeakRecorder;
import io.vhba.emulator.iscsi.login.TextCodec;
import io.vhba.emulator.iscsi.login.TextPair;
import io.vhba.emulator.iscsi.pdu.LoginResponse;
import io.vhba.emulator.iscsi.pdu.NopIn;
import io.vhba.emulator.iscsi.pdu.Pdu;
import io.vhba.emulator.iscsi.pdu.R2T;
import io.vhba.emulator.iscsi.pdu.Reject;
import io.vhba.emulator.iscsi.pdu.ScsiResponse;
import io.vhba.emulator.iscsi.pdu.TextResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The shapes behind known CVEs and bugs of other iSCSI targets, each answered exactly on the wire (a
 * Reject with its reason, a login status, a closed connection), after which the target still serves
 * another session. The target runs with every ByteBuf tracked (paranoid), and no leak may be reported.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class WireAttackRegressionIT {
    private static final String OPEN = "iqn.2026-11.io.vhba.test:open";
    private static final String CHAP = "iqn.2026-11.io.vhba.test:chap";
    private static final String ALICE_SECRET = "alice-secret-0001";
    private static final String TARGET_SECRET = "target-secret-002";
    private static final AtomicLong ISIDS = new AtomicLong(0x0123_0000_0000L);

    private static TestTarget target;
    private static ResourceLeakDetector.Level levelBefore;

    @BeforeAll
    static void start() {
        levelBefore = ResourceLeakDetector.getLevel();
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
        LunConfig lun = new LunConfig(0, "16M", 512, false, true, false, null);
        target = TestTarget.start(new VhbaConfig(List.of("127.0.0.1:0"), 2, "128M", "mailbox",
                new ControllerConfig(null, null, null), 30, true, null, 0, null, List.of(
                        new TargetConfig(OPEN, "open", null, List.of(lun)),
                        new TargetConfig(CHAP, "chap", new ChapConfig("alice", ALICE_SECRET, "vhba", TARGET_SECRET),
                                List.of(lun)))));
    }

    @AfterAll
    static void stop() {
        target.close();
        try {
            if (LeakRecorder.installed()) {
                LeakRecorder.assertNoLeaks();
            }
        } finally {
            ResourceLeakDetector.setLevel(levelBefore);
        }
    }

    @AfterEach
    void theTargetStillServesAnotherSession() throws Exception {
        try (WireInitiator w = new WireInitiator(target.port())) {
            LoginResponse r = w.login("iqn.2026-11.test:bystander", OPEN);
            assertThat(r.statusClass()).isZero();
            r.release();
            WireInitiator.Answer inquiry = w.command(new byte[] {0x12, 0, 0, 0, 36, 0}, null, 36);
            assertThat(inquiry.status()).isZero();
            assertThat(new String(inquiry.data(), 8, 4, StandardCharsets.US_ASCII)).isEqualTo("VHBA");
        }
        // The target ends a session when it sees the close, on its own thread: give it a moment.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!target.vhba().sessions().sessions().isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(target.vhba().sessions().sessions()).as("sessions left after every connection closed").isEmpty();
    }

    // ---- login ---------------------------------------------------------------------------

    /** CVE-2018-14633 (LIO): CHAP_R decoded into a 16-byte buffer whatever its length. */
    @ParameterizedTest
    @ValueSource(ints = {17, 64, 1024, 1025})
    void anOverLongChapResponseIsAnAuthenticationFailure(int bytes) throws Exception {
        try (WireInitiator w = new WireInitiator(target.port())) {
            long isid = ISIDS.incrementAndGet();
            challenge(w, isid, "iqn.2026-11.test:cve-2018-14633");
            LoginResponse r = loginStep(w, isid, 0, 1, true, "CHAP_N=alice", "CHAP_R=0x" + "41".repeat(bytes));
            assertStatus(r, 0x0201);
            assertThat(w.awaitClose()).isTrue();
        }
        assertChapStillWorks();
    }

    /** The mutual half of CVE-2018-14633: an over-long CHAP_C from the initiator. */
    @Test
    void anOverLongMutualChapChallengeIsAnAuthenticationFailure() throws Exception {
        try (WireInitiator w = new WireInitiator(target.port())) {
            long isid = ISIDS.incrementAndGet();
            Map<String, String> c = challenge(w, isid, "iqn.2026-11.test:cve-2018-14633-c");
            LoginResponse r = loginStep(w, isid, 0, 1, true, "CHAP_N=alice", "CHAP_R=" + response(c, ALICE_SECRET),
                    "CHAP_I=3", "CHAP_C=0x" + "a5".repeat(1025));
            assertStatus(r, 0x0201);
            assertThat(w.awaitClose()).isTrue();
        }
        assertChapStillWorks();
    }

    /** CVE-2013-2850: a key name over 63 bytes must not come back in a NotUnderstood reply. */
    @Test
    void aKeyOver64BytesIsNotEchoedAndFailsTheLogin() throws Exception {
        String longKey = "X-" + "k".repeat(98);
        try (WireInitiator w = new WireInitiator(target.port())) {
            LoginResponse r = loginStep(w, ISIDS.incrementAndGet(), 1, 3, true,
                    "InitiatorName=iqn.2026-11.test:cve-2013-2850", "TargetName=" + OPEN, longKey + "=v");
            assertThat(r.data().readableBytes()).isZero();
            assertStatus(r, 0x0200);
            assertThat(w.awaitClose()).isTrue();
        }
        // At the limit a key is answered, and echoed exactly.
        String key63 = "X-" + "k".repeat(61);
        try (WireInitiator w = new WireInitiator(target.port())) {
            LoginResponse r = loginStep(w, ISIDS.incrementAndGet(), 1, 1, false,
                    "InitiatorName=iqn.2026-11.test:cve-2013-2850b", "TargetName=" + OPEN, key63 + "=v");
            assertThat(r.statusClass()).isZero();
            assertThat(text(r)).containsEntry(key63, "NotUnderstood");
        }
    }

    /** The same key in a Text request in full feature phase: a Reject carrying the header only. */
    @Test
    void aKeyOver64BytesInATextRequestIsRejectedWithTheHeaderOnly() throws Exception {
        try (WireInitiator w = loggedIn("iqn.2026-11.test:cve-2013-2850-text", false)) {
            byte[] text = ("X-" + "k".repeat(98) + "=v\0").getBytes(StandardCharsets.US_ASCII);
            w.sendRaw(Frames.frame(textHeader(0x51, w.cmdSn(), false), new byte[0], text, false, false));
            Reject reject = (Reject) w.receive();
            assertThat(reject.reason()).isEqualTo(0x04);
            assertThat(reject.data().readableBytes()).isEqualTo(48);
            assertThat(reject.data().getByte(0) & 0x3F).isEqualTo(Frames.TEXT);
            reject.release();
            assertPingAnswered(w, false);
        }
    }

    /** LIO (2026): a login data segment of 8189 to 8192 bytes without a single NUL. */
    @ParameterizedTest
    @ValueSource(ints = {8189, 8190, 8191, 8192})
    void aLoginDataSegmentWithoutNulIsAnInitiatorError(int length) throws Exception {
        byte[] data = new byte[length];
        java.util.Arrays.fill(data, (byte) 'A');
        byte[] pdu = Frames.login(1, 3, true, false, ISIDS.incrementAndGet(), 1, 1, 0, "");
        byte[] bhs = java.util.Arrays.copyOf(pdu, 48);
        try (WireInitiator w = new WireInitiator(target.port())) {
            w.sendRaw(Frames.frame(bhs, new byte[0], data, false, false));
            LoginResponse r = (LoginResponse) w.receive();
            assertStatus(r, 0x0200);
            assertThat(w.awaitClose()).isTrue();
        }
    }

    /** One byte more than MaxRecvDataSegmentLength during login: closed at the header, nothing answered. */
    @Test
    void aLoginDataSegmentOverTheLoginLimitClosesAtTheHeader() throws Exception {
        byte[] bhs = java.util.Arrays.copyOf(Frames.login(1, 3, true, false, ISIDS.incrementAndGet(), 1, 1, 0, ""), 48);
        bhs[5] = 0;
        bhs[6] = (byte) (8193 >>> 8);
        bhs[7] = (byte) 8193;
        try (WireInitiator w = new WireInitiator(target.port())) {
            w.sendRaw(bhs);
            assertThat(w.receive()).isNull();
        }
    }

    /** SPDK #3927: a PDU other than a Login Request before the login is complete. */
    @ParameterizedTest
    @ValueSource(ints = {Frames.NOP_OUT, Frames.SCSI_COMMAND, Frames.TMF, Frames.TEXT, Frames.DATA_OUT,
            Frames.LOGOUT, Frames.SNACK})
    void aNonLoginOpcodeDuringLoginIsInvalidRequestDuringLogin(int opcode) throws Exception {
        try (WireInitiator w = new WireInitiator(target.port())) {
            long isid = ISIDS.incrementAndGet();
            LoginResponse first = loginStep(w, isid, 0, 1, false, "InitiatorName=iqn.2026-11.test:spdk-3927",
                    "TargetName=" + OPEN, "AuthMethod=None");
            assertThat(first.statusClass()).isZero();
            first.release();
            w.sendRaw(Frames.frame(header(opcode, 0x77, 1), new byte[0], new byte[0], false, false));
            LoginResponse r = (LoginResponse) w.receive();
            assertStatus(r, 0x020B);
            assertThat(w.awaitClose()).isTrue();
        }
    }

    // ---- full feature phase --------------------------------------------------------------

    /** SPDK: a Text Request with the Continue bit and no data is acknowledged; the text goes on. */
    @Test
    void aTextRequestWithContinueAndNoDataIsAcknowledged() throws Exception {
        try (WireInitiator w = loggedIn("iqn.2026-11.test:spdk-text", false)) {
            w.sendRaw(Frames.frame(textHeader(0x61, w.cmdSn(), true), new byte[0], new byte[0], false, false));
            TextResponse ack = (TextResponse) w.receive();
            assertThat(ack.fin()).isFalse();
            assertThat(ack.cont()).isFalse();
            assertThat(ack.data().readableBytes()).isZero();
            ack.release();
            w.sendRaw(Frames.frame(textHeader(0x61, w.cmdSn(), false), new byte[0],
                    "SendTargets=All\0".getBytes(StandardCharsets.US_ASCII), false, false));
            TextResponse answer = (TextResponse) w.receive();
            assertThat(answer.fin()).isTrue();
            assertThat(answer.data().toString(StandardCharsets.US_ASCII)).contains("TargetName=" + OPEN);
            answer.release();
        }
    }

    /**
     * The leak a mutation fuzzer found: a Login Request with a data segment in full feature phase was
     * rejected and its buffer never released (the class's leak check, at paranoid level, fails on it).
     */
    @Test
    void aLoginRequestInFullFeaturePhaseIsRejectedAndItsBufferReleased() throws Exception {
        try (WireInitiator w = loggedIn("iqn.2026-11.test:login-in-ffp", false)) {
            for (int i = 0; i < 32; i++) {
                w.sendRaw(Frames.login(1, 3, true, false, 0x77, 0x900 + i, w.cmdSn(), 0,
                        Frames.text("InitiatorName=iqn.2026-11.test:x", "X-padding=" + "p".repeat(200))));
                Reject reject = (Reject) w.receive();
                assertThat(reject.reason()).isEqualTo(0x04);
                assertThat(reject.data().getByte(0) & 0x3F).isEqualTo(Frames.LOGIN);
                reject.release();
            }
            assertPingAnswered(w, false);
        }
        LeakRecorder.collect();
        assertThat(LeakRecorder.leaks()).isEmpty();
    }

    @Test
    void aDataOutForAnUnknownTaskIsDiscardedAndTheSessionGoesOn() throws Exception {
        try (WireInitiator w = loggedIn("iqn.2026-11.test:data-out-itt", false)) {
            w.sendRaw(Frames.frame(dataOut(0xDEAD, -1, 0, 0, true), new byte[0], new byte[512], false, false));
            assertPingAnswered(w, false); // nothing else came first
        }
    }

    @Test
    void aDataOutWithAnUnknownTargetTransferTagEndsTheTaskWithADataPhaseError() throws Exception {
        try (WireInitiator w = loggedIn("iqn.2026-11.test:data-out-ttt", false)) {
            R2T r2t = writeAwaitingR2t(w, 0x500);
            w.sendRaw(Frames.frame(dataOut(0x500, r2t.ttt() ^ 0x5A5A, 0, 0, true), new byte[0], new byte[4096], false, false));
            assertDataPhaseError(w, 0x500);
        }
    }

    @Test
    void aDataSnBeyondTheBurstEndsTheTaskWithADataPhaseError() throws Exception {
        try (WireInitiator w = loggedIn("iqn.2026-11.test:data-sn", false)) {
            R2T r2t = writeAwaitingR2t(w, 0x501);
            w.sendRaw(Frames.frame(dataOut(0x501, r2t.ttt(), 7, 0, true), new byte[0], new byte[4096], false, false));
            assertDataPhaseError(w, 0x501);
        }
    }

    @Test
    void aBufferOffsetBeyondTheTransferEndsTheTaskWithADataPhaseError() throws Exception {
        try (WireInitiator w = loggedIn("iqn.2026-11.test:offset", false)) {
            R2T r2t = writeAwaitingR2t(w, 0x502);
            w.sendRaw(Frames.frame(dataOut(0x502, r2t.ttt(), 0, 8192, true), new byte[0], new byte[4096], false, false));
            assertDataPhaseError(w, 0x502);
        }
    }

    /** ErrorRecoveryLevel 0: a SNACK, for a task that exists or not, is rejected; the session goes on. */
    @Test
    void aSnackWithUnknownTagsIsRejected() throws Exception {
        try (WireInitiator w = loggedIn("iqn.2026-11.test:snack", false)) {
            byte[] snack = header(Frames.SNACK, 0xBEEF, 0);
            Frames.header(snack).putInt(20, 0xCAFE);
            w.sendRaw(Frames.frame(snack, new byte[0], new byte[0], false, false));
            Reject reject = (Reject) w.receive();
            assertThat(reject.reason()).isEqualTo(0x04);
            assertThat(ByteBufUtil.getBytes(reject.data(), 16, 4)).containsExactly(0, 0, 0xBE, 0xEF);
            reject.release();
            assertPingAnswered(w, false);
        }
    }

    /** An AHS that claims more than TotalAHSLength holds: the header cannot be trusted, Reject and close. */
    @Test
    void anAhsLengthOverrunningTheSegmentIsRejectedAndClosesTheConnection() throws Exception {
        try (WireInitiator w = loggedIn("iqn.2026-11.test:ahs", false)) {
            byte[] cmd = scsiCommand(0x600, w.cmdSn(), 0);
            byte[] ahs = {0, 100, 1, 0}; // AHSLength 100 in a 4-byte AHS, type Extended CDB
            w.sendRaw(Frames.frame(cmd, ahs, new byte[0], false, false));
            Reject reject = (Reject) w.receive();
            assertThat(reject.reason()).isEqualTo(0x04);
            reject.release();
            assertThat(w.awaitClose()).isTrue();
        }
    }

    /** RFC 7143 §7.8 and docs/architecture.md: a wrong header digest on any PDU is a Reject and the connection goes. */
    @ParameterizedTest
    @ValueSource(ints = {Frames.NOP_OUT, Frames.SCSI_COMMAND, Frames.TMF, Frames.TEXT, Frames.DATA_OUT,
            Frames.LOGOUT, Frames.SNACK})
    void aWrongHeaderDigestOnEveryPduKindIsARejectAndAClose(int opcode) throws Exception {
        try (WireInitiator w = loggedIn("iqn.2026-11.test:hd-" + opcode, true)) {
            byte[] frame = Frames.frame(header(opcode, 0x700, w.cmdSn()), new byte[0], new byte[0], true, true);
            frame[48] ^= 0x01;
            w.sendRaw(frame);
            Reject reject = (Reject) w.receive();
            assertThat(reject.reason()).isEqualTo(0x04);
            assertThat(reject.data().getByte(0) & 0x3F).isEqualTo(opcode);
            reject.release();
            assertThat(w.awaitClose()).isTrue();
        }
    }

    /** §7.8: a wrong data digest drops the PDU with a Reject (Data-Digest-Error); the connection stays. */
    @ParameterizedTest
    @ValueSource(ints = {Frames.NOP_OUT, Frames.SCSI_COMMAND, Frames.TEXT, Frames.DATA_OUT})
    void aWrongDataDigestOnEveryPduKindWithDataIsRejectedAndTheSessionGoesOn(int opcode) throws Exception {
        try (WireInitiator w = loggedIn("iqn.2026-11.test:dd-" + opcode, true)) {
            byte[] bhs = header(opcode, 0x800, w.cmdSn());
            if (opcode == Frames.SCSI_COMMAND) {
                bhs = scsiCommand(0x800, w.cmdSn(), 512);
            }
            byte[] frame = Frames.frame(bhs, new byte[0], new byte[512], true, true);
            frame[frame.length - 1] ^= 0x01;
            w.sendRaw(frame);
            Reject reject = (Reject) w.receive();
            assertThat(reject.reason()).isEqualTo(0x02);
            assertThat(reject.data().getByte(0) & 0x3F).isEqualTo(opcode);
            reject.release();
            assertPingAnswered(w, true);
        }
    }

    // ---- helpers -------------------------------------------------------------------------

    private static WireInitiator loggedIn(String initiator, boolean digests) throws Exception {
        WireInitiator w = new WireInitiator(target.port());
        String d = digests ? "CRC32C" : "None";
        LoginResponse r = w.login(initiator, OPEN, "HeaderDigest=" + d + "\0DataDigest=" + d
                + "\0MaxRecvDataSegmentLength=65536\0");
        assertThat(r.statusClass()).isZero();
        assertThat(r.transit()).isTrue();
        r.release();
        w.digests(digests, digests);
        // The first command of a new nexus gets the power-on unit attention: take it here.
        w.command(new byte[6], null, 0);
        return w;
    }

    /** A WRITE(10) of 8 blocks without data: the target answers with an R2T for all 4096 bytes. */
    private static R2T writeAwaitingR2t(WireInitiator w, int itt) throws Exception {
        w.sendRaw(Frames.frame(scsiCommand(itt, w.nextCmdSn(), 4096), new byte[0], new byte[0], false, false));
        Object m = w.receive();
        assertThat(m).isInstanceOf(R2T.class);
        R2T r2t = (R2T) m;
        assertThat(r2t.bufferOffset()).isZero();
        assertThat(r2t.desiredDataTransferLength()).isEqualTo(4096);
        return r2t;
    }

    /** SCSI Response CHECK CONDITION, ABORTED COMMAND / DATA PHASE ERROR (4Bh/00h). */
    private static void assertDataPhaseError(WireInitiator w, int itt) throws Exception {
        ScsiResponse r = (ScsiResponse) w.receive();
        try {
            assertThat(r.itt()).isEqualTo(itt);
            assertThat(r.status()).isEqualTo(0x02);
            ByteBuf sense = r.data().slice(r.data().readerIndex() + 2, r.data().readableBytes() - 2);
            assertThat(sense.getByte(2) & 0x0F).isEqualTo(0x0B);
            assertThat(sense.getByte(12) & 0xFF).isEqualTo(0x4B);
            assertThat(sense.getByte(13) & 0xFF).isZero();
        } finally {
            r.release();
        }
        assertPingAnswered(w, false);
    }

    private static void assertPingAnswered(WireInitiator w, boolean digests) throws Exception {
        w.sendRaw(Frames.ping(0x4242, w.cmdSn(), 0, digests));
        Object m = w.receive();
        assertThat(m).isInstanceOf(NopIn.class);
        assertThat(((NopIn) m).itt()).isEqualTo(0x4242);
        ((Pdu) m).release();
    }

    private static byte[] header(int opcode, int itt, int cmdSn) {
        byte[] bhs = new byte[48];
        ByteBuffer h = Frames.header(bhs);
        h.put(0, (byte) opcode);
        h.put(1, (byte) (0x80 | (opcode == Frames.TMF ? 1 : 0)));
        h.putInt(16, itt);
        h.putInt(20, -1);
        h.putInt(24, cmdSn);
        if (opcode == Frames.NOP_OUT) {
            bhs[0] |= 0x40;
        }
        return bhs;
    }

    private static byte[] textHeader(int itt, int cmdSn, boolean cont) {
        byte[] bhs = header(Frames.TEXT, itt, cmdSn);
        bhs[1] = (byte) (cont ? 0x40 : 0x80);
        bhs[0] |= 0x40;
        return bhs;
    }

    /** WRITE(10) at LBA 0 of {@code bytes}/512 blocks, EDTL {@code bytes}, F set, simple task. */
    private static byte[] scsiCommand(int itt, int cmdSn, int bytes) {
        byte[] bhs = new byte[48];
        ByteBuffer h = Frames.header(bhs);
        h.put(0, (byte) Frames.SCSI_COMMAND);
        h.put(1, (byte) (0x80 | 0x20 | 1));
        h.putInt(16, itt);
        h.putInt(20, bytes);
        h.putInt(24, cmdSn);
        bhs[32] = 0x2A;
        bhs[39] = (byte) ((bytes / 512) >>> 8);
        bhs[40] = (byte) (bytes / 512);
        return bhs;
    }

    private static byte[] dataOut(int itt, int ttt, int dataSn, int offset, boolean fin) {
        byte[] bhs = new byte[48];
        ByteBuffer h = Frames.header(bhs);
        h.put(0, (byte) Frames.DATA_OUT);
        h.put(1, (byte) (fin ? 0x80 : 0));
        h.putInt(16, itt);
        h.putInt(20, ttt);
        h.putInt(36, dataSn);
        h.putInt(40, offset);
        return bhs;
    }

    private static LoginResponse loginStep(WireInitiator w, long isid, int csg, int nsg, boolean transit, String... pairs)
            throws Exception {
        w.sendRaw(Frames.login(csg, nsg, transit, false, isid, 1, 1, 0, Frames.text(pairs)));
        return (LoginResponse) w.receive();
    }

    /** Security stage up to the target's challenge; returns its CHAP_I and CHAP_C. */
    private static Map<String, String> challenge(WireInitiator w, long isid, String initiator) throws Exception {
        LoginResponse method = loginStep(w, isid, 0, 1, false, "InitiatorName=" + initiator, "TargetName=" + CHAP,
                "SessionType=Normal", "AuthMethod=CHAP,None");
        assertThat(text(method)).containsEntry("AuthMethod", "CHAP");
        Map<String, String> c = text(loginStep(w, isid, 0, 1, false, "CHAP_A=5"));
        assertThat(c).containsKeys("CHAP_I", "CHAP_C");
        return c;
    }

    /** A whole CHAP login with the right secret still succeeds on the CHAP target. */
    private static void assertChapStillWorks() throws Exception {
        try (WireInitiator w = new WireInitiator(target.port())) {
            long isid = ISIDS.incrementAndGet();
            Map<String, String> c = challenge(w, isid, "iqn.2026-11.test:chap-good");
            LoginResponse r = loginStep(w, isid, 0, 1, true, "CHAP_N=alice", "CHAP_R=" + response(c, ALICE_SECRET));
            assertThat(r.statusClass()).isZero();
            assertThat(r.transit()).isTrue();
            r.release();
        }
    }

    /** RFC 1994: MD5(identifier || secret || challenge). */
    private static String response(Map<String, String> challenge, String secret) throws Exception {
        MessageDigest md5 = MessageDigest.getInstance("MD5");
        md5.update((byte) Integer.parseInt(challenge.get("CHAP_I")));
        md5.update(secret.getBytes(StandardCharsets.UTF_8));
        md5.update(HexFormat.of().parseHex(challenge.get("CHAP_C").substring(2)));
        return "0x" + HexFormat.of().formatHex(md5.digest());
    }

    private static Map<String, String> text(LoginResponse r) {
        Map<String, String> m = new LinkedHashMap<>();
        try {
            for (TextPair p : TextCodec.decode(r.data())) {
                m.put(p.key(), p.value());
            }
        } finally {
            r.release();
        }
        return m;
    }

    private static void assertStatus(LoginResponse r, int status) {
        try {
            assertThat(r.statusClass() << 8 | r.statusDetail()).as("login status").isEqualTo(status);
        } finally {
            r.release();
        }
    }
}
