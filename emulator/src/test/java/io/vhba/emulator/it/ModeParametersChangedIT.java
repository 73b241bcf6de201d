package io.vhba.emulator.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.vhba.emulator.iscsi.pdu.LoginResponse;
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

    @Test
    void theOtherNexusSeesModeParametersChangedAndTheChangerDoesNot() throws Exception {
        try (TestTarget target = TestTarget.start("16M", 512);
             WireInitiator a = loggedIn(target, "iqn.2026-11.test:changer");
             WireInitiator b = loggedIn(target, "iqn.2026-11.test:other")) {
            // The caching page (08h) as it is now, from MODE SENSE(6) without block descriptors.
            WireInitiator.Answer sense = a.command(new byte[] {0x1A, 0x08, 0x08, 0, (byte) 255, 0}, null, 255);
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
            WireInitiator.Answer select = a.command(new byte[] {0x15, 0x10, 0, 0, (byte) params.length, 0}, params, 0);
            assertThat(select.status()).as("MODE SELECT status").isZero();

            WireInitiator.Answer other = b.command(new byte[6], null, 0);
            assertThat(other.status()).as("the other nexus: CHECK CONDITION").isEqualTo(2);
            assertThat(new int[] {other.sense()[2] & 0x0F, other.sense()[12] & 0xFF, other.sense()[13] & 0xFF})
                    .as("UNIT ATTENTION, MODE PARAMETERS CHANGED").containsExactly(0x6, 0x2A, 0x01);
            assertThat(b.command(new byte[6], null, 0).status()).as("reported once").isZero();
            assertThat(a.command(new byte[6], null, 0).status()).as("the changer has no attention").isZero();

            WireInitiator.Answer after = b.command(new byte[] {0x1A, 0x08, 0x08, 0, (byte) 255, 0}, null, 255);
            assertThat(after.data()[4 + 2] & 0x04).as("WCE now clear for everyone").isZero();
        }
    }

    private static WireInitiator loggedIn(TestTarget target, String initiator) throws Exception {
        WireInitiator w = new WireInitiator(target.port());
        LoginResponse login = w.login(initiator, TestTarget.IQN);
        assertThat(login.statusClass()).isZero();
        login.release();
        WireInitiator.Answer ua = w.command(new byte[6], null, 0); // the power-on unit attention of the new nexus
        assertThat(ua.status()).isEqualTo(2);
        return w;
    }
}
