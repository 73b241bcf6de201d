package io.vhba.emulator.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vhba.emulator.iscsi.pdu.LoginResponse;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code Vhba.resize} on a running target: every I_T nexus of the LUN gets CAPACITY DATA HAS CHANGED once
 * (SBC-4 4.6, SPC-4 5.14), and READ CAPACITY then reports the new size on the wire.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CapacityDataChangedIT {
    private static final byte[] TEST_UNIT_READY = new byte[6];
    private static final byte[] READ_CAPACITY_16 = {(byte) 0x9E, 0x10, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 32, 0, 0};
    /** Fixed-format sense: UNIT ATTENTION, CAPACITY DATA HAS CHANGED (2Ah/09h). */
    private static final String CAPACITY_DATA_HAS_CHANGED = "700006000000000A000000002A0900000000";
    /** Fixed-format sense: ILLEGAL REQUEST, LOGICAL BLOCK ADDRESS OUT OF RANGE (21h/00h). */
    private static final String LBA_OUT_OF_RANGE = "700005000000000A00000000210000000000";

    @Test
    void everyNexusHearsOfTheNewCapacityOnceAndReadsIt() throws Exception {
        try (TestTarget target = TestTarget.start("16M", 512);
             WireInitiator a = loggedIn(target, "iqn.2026-11.test:first");
             WireInitiator b = loggedIn(target, "iqn.2026-11.test:second")) {
            assertThat(lastLba(a)).isEqualTo("0000000000007FFF");

            target.vhba().resize(TestTarget.IQN, 0, 32L << 20);
            for (WireInitiator w : new WireInitiator[] {a, b}) {
                WireInitiator.Answer ua = w.command(TEST_UNIT_READY, null, 0);
                assertThat(ua.status()).as("CHECK CONDITION").isEqualTo(2);
                assertThat(hex(ua.sense())).isEqualTo(CAPACITY_DATA_HAS_CHANGED);
                assertThat(w.command(TEST_UNIT_READY, null, 0).status()).as("reported once").isZero();
                assertThat(lastLba(w)).as("READ CAPACITY(16): 32 MiB of 512-byte blocks").isEqualTo("000000000000FFFF");
            }
            WireInitiator.Answer grown = a.command(WireInitiator.read10(0xFFFF, 1), null, 512);
            assertThat(grown.status()).as("the new last LBA reads").isZero();
            assertThat(grown.data()).hasSize(512).containsOnly(0);

            target.vhba().resize(TestTarget.IQN, 0, 8L << 20);
            WireInitiator.Answer ua = b.command(WireInitiator.read10(0x4000, 1), null, 512);
            assertThat(hex(ua.sense())).as("the unit attention comes before the range check")
                    .isEqualTo(CAPACITY_DATA_HAS_CHANGED);
            WireInitiator.Answer past = b.command(WireInitiator.read10(0x4000, 1), null, 512);
            assertThat(past.status()).isEqualTo(2);
            assertThat(hex(past.sense())).as("LBA 4000h is past the new end").isEqualTo(LBA_OUT_OF_RANGE);
            assertThat(lastLba(b)).isEqualTo("0000000000003FFF");
            assertThat(hex(a.command(TEST_UNIT_READY, null, 0).sense())).isEqualTo(CAPACITY_DATA_HAS_CHANGED);
            assertThat(lastLba(a)).isEqualTo("0000000000003FFF");
        }
    }

    @Test
    void anUnknownTargetOrLunIsNamed() throws Exception {
        try (TestTarget target = TestTarget.start("16M", 512)) {
            assertThatThrownBy(() -> target.vhba().resize("iqn.2026-11.test:nowhere", 0, 1 << 20))
                    .isInstanceOf(IllegalArgumentException.class).hasMessage("no target iqn.2026-11.test:nowhere");
            assertThatThrownBy(() -> target.vhba().resize(TestTarget.IQN, 3, 1 << 20))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("target " + TestTarget.IQN + " has no LUN 3");
            assertThatThrownBy(() -> target.vhba().resize(TestTarget.IQN, 0, 1000))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("capacity 1000 is not a positive multiple of the 512-byte logical block size");
        }
    }

    /** The RETURNED LOGICAL BLOCK ADDRESS of READ CAPACITY(16), after checking the block length. */
    private static String lastLba(WireInitiator w) throws Exception {
        WireInitiator.Answer rc = w.command(READ_CAPACITY_16, null, 32);
        assertThat(rc.status()).as("READ CAPACITY(16) status").isZero();
        assertThat(hex(Arrays.copyOfRange(rc.data(), 8, 12))).as("LOGICAL BLOCK LENGTH").isEqualTo("00000200");
        return hex(Arrays.copyOf(rc.data(), 8));
    }

    private static String hex(byte[] b) {
        return HexFormat.of().withUpperCase().formatHex(b);
    }

    private static WireInitiator loggedIn(TestTarget target, String initiator) throws Exception {
        WireInitiator w = new WireInitiator(target.port());
        LoginResponse login = w.login(initiator, TestTarget.IQN);
        assertThat(login.statusClass()).isZero();
        login.release();
        WireInitiator.Answer ua = w.command(TEST_UNIT_READY, null, 0); // the power-on unit attention of the new nexus
        assertThat(ua.status()).isEqualTo(2);
        return w;
    }
}
