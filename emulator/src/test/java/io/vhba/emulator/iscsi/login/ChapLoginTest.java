package io.vhba.emulator.iscsi.login;

import static io.vhba.emulator.iscsi.login.LoginFixture.INITIATOR_CHAP;
import static io.vhba.emulator.iscsi.login.LoginFixture.TARGET_CHAP;
import static io.vhba.emulator.iscsi.login.LoginFixture.fixedRandom;
import static io.vhba.emulator.iscsi.login.LoginFailureTest.assertFails;
import static io.vhba.emulator.iscsi.login.LoginTexts.INITIATOR;
import static io.vhba.emulator.iscsi.login.LoginTexts.TARGET;
import static io.vhba.emulator.iscsi.login.LoginTexts.keys;
import static io.vhba.emulator.iscsi.login.LoginTexts.request;
import static io.vhba.emulator.iscsi.login.LoginTexts.string;
import static io.vhba.emulator.iscsi.login.LoginTexts.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** RFC 7143 §12.1.3 and RFC 1994: CHAP with MD5, one-way and mutual. */
class ChapLoginTest {

    /** MD5(0x2a || "initiator-secret-01" || 00 01 .. 0f), computed with Python's hashlib. */
    private static final String VECTOR_ONE_WAY = "0x48654b64870f7374ad430bac3989f1e7";
    /** MD5(0x07 || "target-secret-0002" || a5 x 20), computed with Python's hashlib. */
    private static final String VECTOR_MUTUAL = "0x080b29b8d60f840117b8a7c875d7d030";
    private static final String FIXED_CHALLENGE = "0x000102030405060708090a0b0c0d0e0f";

    private final LoginFixture fixture = new LoginFixture();

    @BeforeEach
    void requireChap() {
        fixture.targetAuthentication = AuthenticationPolicy.mutualChap(INITIATOR_CHAP, TARGET_CHAP);
    }

    @Test
    void md5ResponseMatchesAnIndependentVector() {
        byte[] challenge = HexFormat.of().parseHex(FIXED_CHALLENGE.substring(2));

        assertThat(ValueSyntax.hexValue(SecurityNegotiator.chapResponse(0x2a, ChapSecret.of("initiator-secret-01"),
                challenge))).isEqualTo(VECTOR_ONE_WAY);
    }

    @Test
    void oneWayChapWithAKnownVector() {
        LoginStateMachine login = fixture.machine(fixedRandom());

        LoginStep method = login.onRequest(request(0, 1, true, text("InitiatorName=" + INITIATOR,
                "TargetName=" + TARGET, "SessionType=Normal", "AuthMethod=CHAP,None")));
        assertThat(method.response().transit()).isFalse();
        assertThat(string(method.response())).isEqualTo("TargetPortalGroupTag=1\0TargetAlias=disk0\0AuthMethod=CHAP\0");

        LoginStep challenge = login.onRequest(request(0, 1, false, text("CHAP_A=5")));
        assertThat(challenge.response().transit()).isFalse();
        assertThat(string(challenge.response())).isEqualTo("CHAP_A=5\0CHAP_I=42\0CHAP_C=" + FIXED_CHALLENGE + "\0");

        LoginStep verified = login.onRequest(request(0, 1, true, text("CHAP_N=host1-user", "CHAP_R=" + VECTOR_ONE_WAY)));
        assertThat(verified.response().transit()).isTrue();
        assertThat(verified.response().nsg()).isEqualTo(1);
        assertThat(verified.response().statusClass()).isZero();
        assertThat(string(verified.response())).isEmpty();

        LoginStep done = login.onRequest(request(1, 3, true, text("InitialR2T=No", "MaxBurstLength=262144",
                "FirstBurstLength=65536", "MaxOutstandingR2T=1")));
        assertThat(done.outcome()).isInstanceOf(LoginOutcome.Complete.class);
        done.response().release();
    }

    @Test
    void oneWayChapWithARandomChallengeAnsweredInBase64() throws Exception {
        // AuthMethod and CHAP_A in one text: the challenge comes at once; 5 is picked from the list.
        LoginStateMachine second = oneWay().machine();
        LoginStep step = second.onRequest(request(0, 1, false, text("InitiatorName=" + INITIATOR,
                "TargetName=" + TARGET, "AuthMethod=CHAP", "CHAP_A=7,5")));
        Map<String, String> keys = keys(step.response());
        assertThat(keys).containsEntry("AuthMethod", "CHAP").containsEntry("CHAP_A", "5");
        int identifier = Integer.parseInt(keys.get("CHAP_I"));
        byte[] challenge = HexFormat.of().parseHex(keys.get("CHAP_C").substring(2));
        assertThat(challenge).hasSize(16);

        MessageDigest md5 = MessageDigest.getInstance("MD5");
        md5.update((byte) identifier);
        md5.update("initiator-secret-01".getBytes(StandardCharsets.UTF_8));
        md5.update(challenge);
        String response = "0b" + Base64.getEncoder().encodeToString(md5.digest());

        LoginStep verified = second.onRequest(request(0, 3, true, text("CHAP_N=host1-user", "CHAP_R=" + response)));
        assertThat(verified.outcome()).isInstanceOf(LoginOutcome.Complete.class);
        assertThat(keys(verified.response())).containsEntry("MaxRecvDataSegmentLength", "262144");
    }

    @Test
    void challengesDifferFromLoginToLogin() {
        String first = challengeOf(fixture.machine());
        String second = challengeOf(oneWay().machine());

        assertThat(first).isNotEqualTo(second);
    }

    @Test
    void mutualChapWithAKnownVector() {
        LoginStateMachine login = atResponseStep(fixture.machine(fixedRandom()));

        LoginStep step = login.onRequest(request(0, 1, true, text("CHAP_N=host1-user", "CHAP_R=" + VECTOR_ONE_WAY,
                "CHAP_I=7", "CHAP_C=0x" + "a5".repeat(20))));

        assertThat(step.response().transit()).isTrue();
        assertThat(string(step.response())).isEqualTo("CHAP_N=disk0-user\0CHAP_R=" + VECTOR_MUTUAL + "\0");
    }

    @Test
    void wrongSecretFailsWithoutRevealingIt() {
        LoginStateMachine login = atResponseStep(fixture.machine(fixedRandom()));
        byte[] wrong = SecurityNegotiator.chapResponse(0x2a, ChapSecret.of("not-the-secret"),
                HexFormat.of().parseHex(FIXED_CHALLENGE.substring(2)));

        LoginStep step = login.onRequest(request(0, 1, true,
                text("CHAP_N=host1-user", "CHAP_R=" + ValueSyntax.hexValue(wrong))));

        LoginOutcome.Fail fail = (LoginOutcome.Fail) step.outcome();
        assertThat(fail.status()).isEqualTo(LoginStatus.AUTHENTICATION_FAILURE);
        assertThat(fail.reason()).doesNotContain("initiator-secret-01").doesNotContain("not-the-secret");
        assertThat(step.response().statusClass() << 8 | step.response().statusDetail()).isEqualTo(0x0201);
    }

    @Test
    void authenticationFailures() {
        assertAuthFailure(atResponseStep(fixture.machine(fixedRandom())),
                request(0, 1, true, text("CHAP_N=someone-else", "CHAP_R=" + VECTOR_ONE_WAY)));
        assertAuthFailure(atResponseStep(fresh().machine(fixedRandom())),
                request(0, 1, true, text("CHAP_N=host1-user")));
        assertAuthFailure(atResponseStep(fresh().machine(fixedRandom())), request(0, 1, true, new byte[0]));
        assertAuthFailure(atResponseStep(fresh().machine(fixedRandom())),
                request(0, 1, true, text("CHAP_N=host1-user", "CHAP_R=0xnothex")));
        // The initiator reflects the target's own challenge (§12.1.3).
        assertAuthFailure(atResponseStep(fresh().machine(fixedRandom())), request(0, 1, true, text(
                "CHAP_N=host1-user", "CHAP_R=" + VECTOR_ONE_WAY, "CHAP_I=42", "CHAP_C=" + FIXED_CHALLENGE)));
        // Half a mutual request.
        assertAuthFailure(atResponseStep(fresh().machine(fixedRandom())),
                request(0, 1, true, text("CHAP_N=host1-user", "CHAP_R=" + VECTOR_ONE_WAY, "CHAP_I=7")));
    }

    @Test
    void mutualChapAgainstATargetWithoutCredentials() {
        assertAuthFailure(atResponseStep(oneWay().machine(fixedRandom())), request(0, 1, true, text(
                "CHAP_N=host1-user", "CHAP_R=" + VECTOR_ONE_WAY, "CHAP_I=7", "CHAP_C=0x" + "a5".repeat(20))));
    }

    @Test
    void aTargetRequiringChapRefusesEveryWayAround() {
        assertAuthFailure(fresh().machine(), request(0, 1, true,
                text("InitiatorName=" + INITIATOR, "TargetName=" + TARGET, "AuthMethod=None")));
        assertAuthFailure(fresh().machine(), request(1, 3, true,
                text("InitiatorName=" + INITIATOR, "TargetName=" + TARGET, "AuthMethod=None")));
        assertAuthFailure(fresh().machine(), request(0, 1, true,
                text("InitiatorName=" + INITIATOR, "TargetName=" + TARGET)));
        assertAuthFailure(fresh().machine(), request(0, 1, false,
                text("InitiatorName=" + INITIATOR, "TargetName=" + TARGET, "CHAP_A=5")));
        assertAuthFailure(fresh().machine(), request(0, 1, false,
                text("InitiatorName=" + INITIATOR, "TargetName=" + TARGET, "AuthMethod=CHAP", "CHAP_A=7")));
    }

    @Test
    void aTargetWithoutAuthenticationRefusesChapOnly() {
        assertAuthFailure(new LoginFixture().machine(), request(0, 1, true,
                text("InitiatorName=" + INITIATOR, "TargetName=" + TARGET, "AuthMethod=CHAP")));
    }

    @Test
    void discoveryIsOpenUnlessDiscoveryAuthenticationIsConfigured() {
        LoginStep open = fixture.machine().onRequest(request(0, 3, true,
                text("InitiatorName=" + INITIATOR, "SessionType=Discovery", "AuthMethod=CHAP,None")));
        assertThat(keys(open.response())).containsEntry("AuthMethod", "None");
        assertThat(open.outcome()).isInstanceOf(LoginOutcome.Complete.class);

        LoginFixture guarded = new LoginFixture();
        guarded.discoveryAuthentication = AuthenticationPolicy.chap(INITIATOR_CHAP);
        LoginStateMachine login = guarded.machine(fixedRandom());
        LoginStep method = login.onRequest(request(0, 3, true,
                text("InitiatorName=" + INITIATOR, "SessionType=Discovery", "AuthMethod=CHAP,None", "CHAP_A=5")));
        assertThat(keys(method.response())).containsEntry("AuthMethod", "CHAP").containsEntry("CHAP_C", FIXED_CHALLENGE);
        LoginStep done = login.onRequest(request(0, 3, true, text("CHAP_N=host1-user", "CHAP_R=" + VECTOR_ONE_WAY)));
        assertThat(done.outcome()).isInstanceOf(LoginOutcome.Complete.class);
        done.response().release();
    }

    @Test
    void secretsAreNeverPrinted() {
        AuthenticationPolicy policy = AuthenticationPolicy.mutualChap(INITIATOR_CHAP, TARGET_CHAP);

        assertThat(policy.toString()).doesNotContain("initiator-secret-01").doesNotContain("target-secret-0002")
                .contains("host1-user");
        assertThat(ChapSecret.of("s3cr3t-value").toString()).doesNotContain("s3cr3t");
    }

    @Test
    void theSameSecretMayNotServeBothDirections() {
        assertThatThrownBy(() -> AuthenticationPolicy.mutualChap(INITIATOR_CHAP,
                ChapCredentials.of("disk0-user", "initiator-secret-01")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageNotContaining("initiator-secret-01");
    }

    private static LoginFixture oneWay() {
        LoginFixture oneWay = new LoginFixture();
        oneWay.targetAuthentication = AuthenticationPolicy.chap(INITIATOR_CHAP);
        return oneWay;
    }

    private LoginFixture fresh() {
        LoginFixture other = new LoginFixture();
        other.targetAuthentication = fixture.targetAuthentication;
        return other;
    }

    /** Runs AuthMethod and CHAP_A, leaving the login waiting for CHAP_N and CHAP_R. */
    private static LoginStateMachine atResponseStep(LoginStateMachine login) {
        login.onRequest(request(0, 1, true, text("InitiatorName=" + INITIATOR, "TargetName=" + TARGET,
                "AuthMethod=CHAP,None"))).response().release();
        login.onRequest(request(0, 1, false, text("CHAP_A=5"))).response().release();
        return login;
    }

    private static String challengeOf(LoginStateMachine login) {
        LoginStep step = login.onRequest(request(0, 1, false, text("InitiatorName=" + INITIATOR,
                "TargetName=" + TARGET, "AuthMethod=CHAP", "CHAP_A=5")));
        return keys(step.response()).get("CHAP_C");
    }

    private static void assertAuthFailure(LoginStateMachine login, io.vhba.emulator.iscsi.pdu.LoginRequest request) {
        assertFails(login, request, LoginStatus.AUTHENTICATION_FAILURE);
    }
}
