package io.vhba.emulator.iscsi.login;

import static io.vhba.emulator.iscsi.login.LoginFixture.INITIATOR_CHAP;
import static io.vhba.emulator.iscsi.login.LoginFixture.TARGET_CHAP;
import static io.vhba.emulator.iscsi.login.LoginFixture.fixedRandom;
import static io.vhba.emulator.iscsi.login.LoginFailureTest.assertFails;
import static io.vhba.emulator.iscsi.login.LoginTexts.INITIATOR;
import static io.vhba.emulator.iscsi.login.LoginTexts.TARGET;
import static io.vhba.emulator.iscsi.login.LoginTexts.request;
import static io.vhba.emulator.iscsi.login.LoginTexts.text;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The CHAP values an initiator sends are checked by syntax and length before they are decoded (RFC 7143
 * §12.1.3; CVE-2018-14633 was an over-long CHAP_R decoded into a digest-sized buffer in LIO). Every such
 * failure is an authentication failure, 0x0201.
 */
class ChapValueLimitsTest {

    /** The right response to the fixed challenge (see ChapLoginTest). */
    private static final String RIGHT_RESPONSE = "0x48654b64870f7374ad430bac3989f1e7";

    private final LoginFixture fixture = new LoginFixture();
    private LoginStateMachine login;

    @BeforeEach
    void challenged() {
        fixture.targetAuthentication = AuthenticationPolicy.mutualChap(INITIATOR_CHAP, TARGET_CHAP);
        login = fixture.machine(fixedRandom());
        login.onRequest(request(0, 1, false, text("InitiatorName=" + INITIATOR, "TargetName=" + TARGET,
                "AuthMethod=CHAP"))).response().release();
    }

    private void challenge() {
        login.onRequest(request(0, 1, false, text("CHAP_A=5"))).response().release();
    }

    @Test
    void chapRLongerThanTheRfcAllowsFailsBeforeDecoding() {
        challenge();
        assertFails(login, request(0, 1, true, text("CHAP_N=host1-user", "CHAP_R=0x" + "41".repeat(1025))),
                LoginStatus.AUTHENTICATION_FAILURE);
    }

    @Test
    void chapROfAValidLengthButNotAnMd5DigestFails() {
        challenge();
        assertFails(login, request(0, 1, true, text("CHAP_N=host1-user", "CHAP_R=" + RIGHT_RESPONSE + "00")),
                LoginStatus.AUTHENTICATION_FAILURE);
    }

    @Test
    void chapRThatIsNotABinaryValueFails() {
        challenge();
        assertFails(login, request(0, 1, true, text("CHAP_N=host1-user", "CHAP_R=0xZZ")),
                LoginStatus.AUTHENTICATION_FAILURE);
    }

    @Test
    void chapNLongerThan255BytesFails() {
        challenge();
        assertFails(login, request(0, 1, true, text("CHAP_N=" + "n".repeat(256), "CHAP_R=" + RIGHT_RESPONSE)),
                LoginStatus.AUTHENTICATION_FAILURE);
    }

    @Test
    void mutualChapCOverLongFails() {
        challenge();
        assertFails(login, request(0, 1, true, text("CHAP_N=host1-user", "CHAP_R=" + RIGHT_RESPONSE, "CHAP_I=7",
                "CHAP_C=0x" + "a5".repeat(1025))), LoginStatus.AUTHENTICATION_FAILURE);
    }

    @Test
    void mutualChapIOutOfRangeFails() {
        challenge();
        assertFails(login, request(0, 1, true, text("CHAP_N=host1-user", "CHAP_R=" + RIGHT_RESPONSE, "CHAP_I=256",
                "CHAP_C=0x" + "a5".repeat(16))), LoginStatus.AUTHENTICATION_FAILURE);
    }

    @Test
    void mutualChapCAtTheRfcLimitIsAnswered() {
        challenge();
        LoginStep step = login.onRequest(request(0, 1, true, text("CHAP_N=host1-user", "CHAP_R=" + RIGHT_RESPONSE,
                "CHAP_I=7", "CHAP_C=0x" + "a5".repeat(1024))));
        assertThat(step.response().statusClass()).isZero();
        assertThat(LoginTexts.keys(step.response())).containsKey("CHAP_R");
    }

    @Test
    void chapAWithAnItemThatIsNotANumberFails() {
        assertFails(login, request(0, 1, false, text("CHAP_A=5,MD5")), LoginStatus.AUTHENTICATION_FAILURE);
    }

    @Test
    void chapAWithTooManyAlgorithmsFails() {
        assertFails(login, request(0, 1, false, text("CHAP_A=" + "7,".repeat(40) + "5")),
                LoginStatus.AUTHENTICATION_FAILURE);
    }

    @Test
    void chapAWithoutMd5Fails() {
        assertFails(login, request(0, 1, false, text("CHAP_A=6,7")), LoginStatus.AUTHENTICATION_FAILURE);
    }
}
