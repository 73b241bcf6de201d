package io.vhba.junit;

import static org.assertj.core.api.Assertions.assertThat;

import io.vhba.emulator.iscsi.pdu.LoginResponse;
import io.vhba.emulator.it.WireInitiator;
import java.io.IOException;

/** The emulator's wire-level initiator, logged in to LUN 0 of a handle's target with its power-on unit attention eaten. */
final class Wire {
    static final String INITIATOR = "iqn.2026-11.io.vhba.test:junit";
    /** SCSI status CHECK CONDITION (SAM-5 5.3.1). */
    static final int CHECK_CONDITION = 2;
    private static final byte[] TEST_UNIT_READY = new byte[6];

    private Wire() {}

    static WireInitiator loggedIn(VhbaHandle target) throws IOException {
        WireInitiator w = new WireInitiator(target.port());
        LoginResponse login = w.login(INITIATOR, target.iqn());
        try {
            assertThat(login.statusClass()).as("login status class").isZero();
        } finally {
            login.release();
        }
        WireInitiator.Answer ua = w.command(TEST_UNIT_READY, null, 0);
        assertThat(ua.status()).as("the new nexus' power-on unit attention").isEqualTo(CHECK_CONDITION);
        return w;
    }

    /** The sense key of fixed-format sense data (SPC-4 4.5.3). */
    static int senseKey(WireInitiator.Answer a) {
        return a.sense()[2] & 0x0F;
    }
}
