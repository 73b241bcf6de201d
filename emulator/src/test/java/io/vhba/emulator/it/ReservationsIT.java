package io.vhba.emulator.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.vhba.emulator.config.ControllerConfig;
import io.vhba.emulator.config.LunConfig;
import io.vhba.emulator.config.TargetConfig;
import io.vhba.emulator.config.VhbaConfig;
import io.vhba.emulator.iscsi.pdu.DataIn;
import io.vhba.emulator.iscsi.pdu.LoginResponse;
import io.vhba.emulator.iscsi.pdu.NopIn;
import io.vhba.emulator.iscsi.pdu.NopOut;
import io.vhba.emulator.iscsi.pdu.ScsiCommand;
import io.vhba.emulator.iscsi.pdu.ScsiResponse;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Reservations end to end: libiscsi's PR and RESERVE(6) suites pass with nothing skipped, and
 * APTPL state survives a restart of the target over the same state directory (SPC-4 5.13.5)
 * while APTPL=0 state does not.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class ReservationsIT {

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class LibiscsiSuites {
        private TestTarget target;

        @AfterAll
        void stop() {
            if (target != null) {
                target.close();
            }
        }

        @ParameterizedTest
        @ValueSource(strings = {"ALL.PrinReadKeys", "ALL.PrinReportCapabilities", "ALL.PrinServiceactionRange",
                "ALL.ProutClear", "ALL.ProutPreempt", "ALL.ProutRegister", "ALL.ProutReserve", "ALL.Reserve6"})
        void everyTestOfTheSuitePasses(String suite) {
            Peers.require("iscsi-test-cu", "apt-get install libiscsi-bin");
            if (target == null) {
                target = TestTarget.start("128M", 512);
            }
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

    // ---- APTPL across a restart -----------------------------------------------------------

    private static final long KEY = 0x0123_4567_89AB_CDEFL;
    private static final String INITIATOR = "iqn.2026-11.test:pr";

    private static TestTarget start(Path stateDir) {
        return TestTarget.start(new VhbaConfig(List.of("127.0.0.1:0"), 2, "512M", "mailbox", new ControllerConfig(null, null, null),
                30, true, null, 0, null,
                List.of(new TargetConfig(TestTarget.IQN, "vhba-test", null, List.of(new LunConfig(0, "64M", 512, false, true, false, null)))),
                stateDir.toString()));
    }

    private record Answer(int status, byte[] data) {}

    /** One command, with its Data-Out as immediate data; collects Data-In up to the status. */
    private static Answer scsi(WireInitiator w, byte[] cdb, byte[] dataOut, int readLength) throws Exception {
        byte[] c = new byte[16];
        System.arraycopy(cdb, 0, c, 0, cdb.length);
        boolean write = dataOut != null;
        w.send(new ScsiCommand(false, true, readLength > 0, write, 1, 0, w.nextItt(), write ? dataOut.length : readLength,
                w.nextCmdSn(), 0, c, -1, write ? Unpooled.wrappedBuffer(dataOut) : Unpooled.EMPTY_BUFFER));
        ByteBuf in = Unpooled.buffer();
        try {
            for (;;) {
                Object pdu = w.receive();
                if (pdu instanceof DataIn d) {
                    in.writeBytes(d.data());
                    boolean last = d.statusPresent();
                    int status = d.status();
                    d.release();
                    if (last) {
                        return new Answer(status, bytes(in));
                    }
                } else if (pdu instanceof ScsiResponse r) {
                    // GOOD: the Data-In so far; otherwise the response's data segment (SenseLength, sense).
                    Answer a = new Answer(r.status(), r.status() == 0 ? bytes(in) : bytes(r.data()));
                    r.release();
                    return a;
                } else {
                    throw new AssertionError("unexpected PDU " + pdu);
                }
            }
        } finally {
            in.release();
        }
    }

    private static byte[] bytes(ByteBuf b) {
        byte[] a = new byte[b.readableBytes()];
        b.getBytes(b.readerIndex(), a);
        return a;
    }

    private static WireInitiator connect(TestTarget t) throws Exception {
        return connect(t, INITIATOR);
    }

    private static WireInitiator connect(TestTarget t, String initiator) throws Exception {
        WireInitiator w = new WireInitiator(t.port());
        LoginResponse login = w.login(initiator, TestTarget.IQN);
        assertThat(login.statusClass()).isZero();
        login.release();
        scsi(w, new byte[6], null, 0); // takes the power-on unit attention
        return w;
    }

    private static Answer prOut(WireInitiator w, int serviceAction, int type, long key, long saKey, int flags) throws Exception {
        byte[] params = ByteBuffer.allocate(24).putLong(key).putLong(saKey).putInt(0).put((byte) flags).array();
        return scsi(w, new byte[] {0x5F, (byte) serviceAction, (byte) type, 0, 0, 0, 0, 0, 24, 0}, params, 0);
    }

    private static byte[] prIn(WireInitiator w, int serviceAction) throws Exception {
        Answer a = scsi(w, new byte[] {0x5E, (byte) serviceAction, 0, 0, 0, 0, 0, 1, 0, 0}, null, 256);
        assertThat(a.status()).isZero();
        return a.data();
    }

    @Test
    void aptplStateSurvivesARestartAndAptpl0StateDoesNot(@TempDir Path stateDir) throws Exception {
        try (TestTarget t = start(stateDir); WireInitiator w = connect(t)) {
            assertThat(prIn(w, 2)[2] & 0x01).as("PTPL_C with a state directory").isEqualTo(1);
            assertThat(prOut(w, 0x06, 0, 0, KEY, 0x01).status()).isZero(); // REGISTER AND IGNORE, APTPL=1
            assertThat(prOut(w, 0x01, 0x01, KEY, 0, 0).status()).isZero(); // RESERVE, Write Exclusive
        }
        try (TestTarget t = start(stateDir); WireInitiator w = connect(t)) {
            assertThat(prIn(w, 0)).containsExactly(ByteBuffer.allocate(16).putInt(1).putInt(8).putLong(KEY).array());
            assertThat(prIn(w, 1)).containsExactly(ByteBuffer.allocate(24).putInt(1).putInt(16).putLong(KEY)
                    .putInt(0).put((byte) 0).put((byte) 0x01).putShort((short) 0).array());
            assertThat(prIn(w, 2)[3] & 0x01).as("PTPL_A").isEqualTo(1);
            assertThat(prOut(w, 0x00, 0, KEY, KEY, 0x00).status()).isZero(); // REGISTER again with APTPL=0
        }
        try (TestTarget t = start(stateDir); WireInitiator w = connect(t)) {
            assertThat(prIn(w, 0)).as("nothing persisted with APTPL=0").containsExactly(new byte[] {0, 0, 0, 0, 0, 0, 0, 0});
            assertThat(prIn(w, 1)).containsExactly(new byte[] {0, 0, 0, 0, 0, 0, 0, 0});
        }
    }

    @Test
    void withoutAStateDirectoryAptplIsRefusedWithInvalidFieldInParameterList() throws Exception {
        try (TestTarget t = TestTarget.start("64M", 512); WireInitiator w = connect(t)) {
            assertThat(prIn(w, 2)[2] & 0x01).as("PTPL_C").isZero();
            Answer refused = prOut(w, 0x06, 0, 0, KEY, 0x01);
            assertThat(refused.status()).isEqualTo(2);
            // SenseLength 18, then ILLEGAL REQUEST / INVALID FIELD IN PARAMETER LIST, pointer at byte 20 bit 0.
            assertThat(refused.data()).containsExactly(0, 18, 0x70, 0, 0x05, 0, 0, 0, 0, 0x0A, 0, 0, 0, 0, 0x26, 0, 0,
                    (byte) 0x88, 0, 0x14);
            assertThat(prIn(w, 0)).as("nothing registered").containsExactly(new byte[] {0, 0, 0, 0, 0, 0, 0, 0});
        }
    }

    // ---- PREEMPT AND ABORT through the iSCSI session ------------------------------------------

    private static int itt(Object pdu) {
        if (pdu instanceof DataIn d) {
            return d.itt();
        }
        if (pdu instanceof ScsiResponse r) {
            return r.itt();
        }
        if (pdu instanceof NopIn n) {
            return n.itt();
        }
        throw new AssertionError("unexpected PDU " + pdu);
    }

    private static boolean ends(Object pdu) {
        return pdu instanceof ScsiResponse || pdu instanceof NopIn || (pdu instanceof DataIn d && d.statusPresent());
    }

    private static void release(Object pdu) {
        if (pdu instanceof io.netty.util.ReferenceCounted rc) {
            rc.release();
        }
    }

    /**
     * PREEMPT AND ABORT aborts the preempted nexus's task in flight (SPC-4 5.13.11.2.6): its READ is
     * never answered. The controller runs commands in order after a fixed latency, so a READ issued
     * afterwards by the same nexus completes after the first one would have.
     */
    @Test
    void preemptAndAbortAbortsTheTaskInFlightOfThePreemptedSession() throws Exception {
        VhbaConfig config = new VhbaConfig(List.of("127.0.0.1:0"), 2, "512M", "mailbox", new ControllerConfig("threaded", 300_000L, null),
                30, true, null, 0, null,
                List.of(new TargetConfig(TestTarget.IQN, "vhba-test", null, List.of(new LunConfig(0, "64M", 512, false, true, false, null)))));
        try (TestTarget t = TestTarget.start(config); WireInitiator a = connect(t, INITIATOR);
             WireInitiator b = connect(t, INITIATOR + "-b")) {
            assertThat(prOut(a, 0x06, 0, 0, KEY, 0).status()).isZero();
            assertThat(prOut(b, 0x06, 0, 0, KEY + 1, 0).status()).isZero();
            assertThat(prOut(b, 0x01, 0x01, KEY + 1, 0, 0).status()).isZero(); // b holds Write Exclusive

            byte[] read = new byte[16];
            read[0] = 0x28;
            read[8] = 1;
            int victim = b.nextItt();
            b.send(new ScsiCommand(false, true, true, false, 1, 0, victim, 512, b.nextCmdSn(), 0, read, -1, Unpooled.EMPTY_BUFFER));
            int ping = b.nextItt();
            b.send(new NopOut(true, 0, ping, 0xFFFFFFFF, b.cmdSn(), 0, Unpooled.EMPTY_BUFFER));
            Object pong = b.receive();
            assertThat(itt(pong)).as("the READ is still in the controller when the ping returns").isEqualTo(ping);
            release(pong);

            assertThat(prOut(a, 0x05, 0x03, KEY, KEY + 1, 0).status()).isZero(); // PREEMPT AND ABORT, Exclusive Access

            Answer ua = scsi(b, new byte[6], null, 0);
            assertThat(ua.status()).isEqualTo(2);
            assertThat(ua.data()[2 + 12]).isEqualTo((byte) 0x2A);
            assertThat(ua.data()[2 + 13]).as("REGISTRATIONS PREEMPTED").isEqualTo((byte) 0x05);
            assertThat(prOut(a, 0x03, 0, KEY, 0, 0).status()).isZero(); // CLEAR: b may read again

            int second = b.nextItt();
            b.send(new ScsiCommand(false, true, true, false, 1, 0, second, 512, b.nextCmdSn(), 0, read, -1, Unpooled.EMPTY_BUFFER));
            Object pdu;
            do {
                pdu = b.receive();
                assertThat(itt(pdu)).as("the aborted READ is never answered").isEqualTo(second);
                release(pdu);
            } while (!ends(pdu));
        }
    }
}
