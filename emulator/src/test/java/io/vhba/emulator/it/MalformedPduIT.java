package io.vhba.emulator.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.vhba.emulator.iscsi.pdu.LoginResponse;
import io.vhba.emulator.iscsi.pdu.Reject;
import io.vhba.emulator.iscsi.pdu.RejectReason;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Malformed PDUs get a Reject or a closed connection, and the target keeps serving other sessions. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MalformedPduIT {
    private static TestTarget target;

    @BeforeAll
    static void start() {
        target = TestTarget.start("32M", 512);
    }

    @AfterAll
    static void stop() {
        target.close();
    }

    @Test
    void aReservedOpcodeBeforeLoginClosesTheConnection() throws Exception {
        try (WireInitiator w = new WireInitiator(target.port())) {
            byte[] pdu = new byte[48];
            pdu[0] = 0x3F;
            w.sendRaw(pdu);
            assertThat(w.awaitClose()).isTrue();
        }
        assertOtherSessionsStillWork();
    }

    @Test
    void aLoginClaimingA16MiBDataSegmentIsClosedWithoutWaitingForThePayload() throws Exception {
        try (WireInitiator w = new WireInitiator(target.port())) {
            byte[] hdr = new byte[48];
            hdr[0] = 0x43;
            hdr[1] = (byte) 0x87;
            hdr[5] = hdr[6] = hdr[7] = (byte) 0xFF;
            w.sendRaw(hdr);
            w.sendRaw(new byte[1000]);
            assertThat(w.awaitClose()).isTrue();
        }
        assertOtherSessionsStillWork();
    }

    @Test
    void inFullFeaturePhaseAReservedOpcodeIsRejectedWithItsHeaderAndTheSessionGoesOn() throws Exception {
        try (WireInitiator w = new WireInitiator(target.port())) {
            LoginResponse login = w.login("iqn.2026-11.test:malformed", TestTarget.IQN);
            assertThat(login.statusClass()).as("login status detail %d: %s", login.statusDetail(), login.data().toString(java.nio.charset.StandardCharsets.UTF_8)).isZero();
            assertThat(login.nsg()).isEqualTo(3);
            login.release();
            byte[] pdu = new byte[48];
            pdu[0] = 0x1A; // reserved initiator opcode
            pdu[16] = 0x12;
            pdu[17] = 0x34;
            w.sendRaw(pdu);
            Object m = w.receive();
            assertThat(m).isInstanceOf(Reject.class);
            Reject r = (Reject) m;
            assertThat(r.reason()).isEqualTo(RejectReason.PROTOCOL_ERROR.code());
            ByteBuf header = r.data();
            assertThat(header.readableBytes()).isEqualTo(48);
            assertThat(header.getByte(0) & 0x3F).isEqualTo(0x1A);
            assertThat(header.getShort(16)).isEqualTo((short) 0x1234);
            r.release();
            // A data segment longer than the declared MaxRecvDataSegmentLength breaks framing: Reject, then close.
            byte[] big = new byte[48];
            big[0] = 0x00; // NOP-Out
            big[1] = (byte) 0x80;
            big[5] = 0x7F;
            big[6] = (byte) 0xFF;
            big[7] = (byte) 0xFF;
            w.sendRaw(big);
            Object m2 = w.receive();
            assertThat(m2).isInstanceOf(Reject.class);
            ((Reject) m2).release();
            assertThat(w.awaitClose()).isTrue();
        }
        assertOtherSessionsStillWork();
    }

    private static void assertOtherSessionsStillWork() {
        if (Peers.find("iscsi-inq") == null) {
            Peers.require("iscsi-inq", "apt-get install libiscsi-bin");
        }
        ProcessRun r = ProcessRun.run(20, "iscsi-inq", target.url());
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.stdout()).contains("Vendor:VHBA");
    }
}
