package io.vhba.emulator.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.vhba.emulator.iscsi.pdu.DataIn;
import io.vhba.emulator.iscsi.pdu.LoginResponse;
import io.vhba.emulator.iscsi.pdu.ScsiCommand;
import io.vhba.emulator.iscsi.pdu.ScsiResponse;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * MODE SELECT by one I_T nexus gives every other nexus MODE PARAMETERS CHANGED (SPC-4 6.11,
 * SAM-5 5.14), and not the one that made the change; the change itself is seen by both.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ModeParametersChangedIT {

    private record Answer(int status, byte[] sense, byte[] data) {}

    @Test
    void theOtherNexusSeesModeParametersChangedAndTheChangerDoesNot() throws Exception {
        try (TestTarget target = TestTarget.start("16M", 512);
             WireInitiator a = loggedIn(target, "iqn.2026-11.test:changer");
             WireInitiator b = loggedIn(target, "iqn.2026-11.test:other")) {
            // The caching page (08h) as it is now, from MODE SENSE(6) without block descriptors.
            Answer sense = command(a, new byte[] {0x1A, 0x08, 0x08, 0, (byte) 255, 0}, null, 255);
            assertThat(sense.status()).isZero();
            byte[] page = Arrays.copyOfRange(sense.data(), 4, 4 + 2 + (sense.data()[5] & 0xFF));
            assertThat(page[0] & 0x3F).isEqualTo(0x08);
            boolean wce = (page[2] & 0x04) != 0;
            assertThat(wce).as("write cache enabled by default").isTrue();

            // MODE SELECT(6), PF=1: the same page with WCE cleared (SBC-4 6.5.5).
            page[0] &= 0x3F; // PS is reserved in MODE SELECT
            page[2] &= ~0x04;
            ByteArrayOutputStream list = new ByteArrayOutputStream();
            list.write(new byte[4]); // header: no block descriptor
            list.write(page);
            byte[] params = list.toByteArray();
            Answer select = command(a, new byte[] {0x15, 0x10, 0, 0, (byte) params.length, 0}, params, 0);
            assertThat(select.status()).as("MODE SELECT status").isZero();

            Answer other = command(b, new byte[6], null, 0);
            assertThat(other.status()).as("the other nexus: CHECK CONDITION").isEqualTo(2);
            assertThat(new int[] {other.sense()[2] & 0x0F, other.sense()[12] & 0xFF, other.sense()[13] & 0xFF})
                    .as("UNIT ATTENTION, MODE PARAMETERS CHANGED").containsExactly(0x6, 0x2A, 0x01);
            assertThat(command(b, new byte[6], null, 0).status()).as("reported once").isZero();
            assertThat(command(a, new byte[6], null, 0).status()).as("the changer has no attention").isZero();

            Answer after = command(b, new byte[] {0x1A, 0x08, 0x08, 0, (byte) 255, 0}, null, 255);
            assertThat(after.data()[4 + 2] & 0x04).as("WCE now clear for everyone").isZero();
        }
    }

    private static WireInitiator loggedIn(TestTarget target, String initiator) throws Exception {
        WireInitiator w = new WireInitiator(target.port());
        LoginResponse login = w.login(initiator, TestTarget.IQN);
        assertThat(login.statusClass()).isZero();
        login.release();
        Answer ua = command(w, new byte[6], null, 0); // the power-on unit attention of the new nexus
        assertThat(ua.status()).isEqualTo(2);
        return w;
    }

    /** One command; {@code out} goes as immediate data (ImmediateData=Yes by default, RFC 7143 §13.11). */
    private static Answer command(WireInitiator w, byte[] cdb, byte[] out, int readLength) throws Exception {
        int itt = w.nextItt();
        byte[] padded = Arrays.copyOf(cdb, 16);
        boolean write = out != null;
        ByteBuf data = write ? Unpooled.wrappedBuffer(out) : Unpooled.EMPTY_BUFFER;
        w.send(new ScsiCommand(false, true, readLength > 0, write, 1, 0, itt, write ? out.length : readLength,
                w.nextCmdSn(), 0, padded, -1, data));
        ByteArrayOutputStream in = new ByteArrayOutputStream();
        while (true) {
            Object pdu = w.receive();
            if (pdu instanceof DataIn d) {
                assertThat(d.itt()).isEqualTo(itt);
                byte[] b = new byte[d.data().readableBytes()];
                d.data().getBytes(d.data().readerIndex(), b);
                in.write(b);
                boolean done = d.statusPresent();
                int status = d.status();
                d.release();
                if (done) {
                    return new Answer(status, new byte[0], in.toByteArray());
                }
            } else if (pdu instanceof ScsiResponse r) {
                assertThat(r.itt()).isEqualTo(itt);
                byte[] sense = new byte[0];
                if (r.data().readableBytes() >= 2) {
                    int n = r.data().getUnsignedShort(r.data().readerIndex());
                    sense = new byte[n];
                    r.data().getBytes(r.data().readerIndex() + 2, sense);
                }
                r.release();
                return new Answer(r.status(), sense, in.toByteArray());
            } else {
                throw new AssertionError("unexpected PDU " + pdu);
            }
        }
    }
}
