package io.vhba.emulator.iscsi.login;

import static io.vhba.emulator.iscsi.login.LoginTexts.CID;
import static io.vhba.emulator.iscsi.login.LoginTexts.CMD_SN;
import static io.vhba.emulator.iscsi.login.LoginTexts.INITIATOR;
import static io.vhba.emulator.iscsi.login.LoginTexts.ISID;
import static io.vhba.emulator.iscsi.login.LoginTexts.ITT;
import static io.vhba.emulator.iscsi.login.LoginTexts.TARGET;
import static io.vhba.emulator.iscsi.login.LoginTexts.buffer;
import static io.vhba.emulator.iscsi.login.LoginTexts.request;
import static io.vhba.emulator.iscsi.login.LoginTexts.text;
import static org.assertj.core.api.Assertions.assertThat;

import io.vhba.emulator.iscsi.pdu.LoginRequest;
import io.vhba.emulator.iscsi.pdu.LoginResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Logins that must fail, with the status of RFC 7143 §11.13.5. */
class LoginFailureTest {

    private static final byte[] FIRST = text("InitiatorName=" + INITIATOR, "TargetName=" + TARGET);

    private final LoginFixture fixture = new LoginFixture();

    @Test
    void versionRangeWithoutVersionZero() {
        LoginRequest request = new LoginRequest(true, false, 0, 1, 2, 1, ISID, 0, ITT, CID, CMD_SN, 0, buffer(FIRST));

        LoginResponse response = assertFails(fixture.machine(), request, LoginStatus.UNSUPPORTED_VERSION);

        assertThat(response.versionMax()).isZero();
        assertThat(response.versionActive()).isZero();
    }

    @Test
    void missingInitiatorName() {
        assertFails(fixture.machine(), request(0, 1, true, text("TargetName=" + TARGET)), LoginStatus.MISSING_PARAMETER);
    }

    @Test
    void initiatorNameLaterThanTheFirstText() {
        LoginStateMachine login = fixture.machine();
        LoginStep first = login.onRequest(request(0, 1, false, false, text("SessionType=Normal")));

        assertThat(((LoginOutcome.Fail) first.outcome()).status()).isEqualTo(LoginStatus.MISSING_PARAMETER);
        assertThat(first.response().statusClass()).isEqualTo(2);
        assertThat(first.response().statusDetail()).isEqualTo(7);
    }

    @Test
    void normalSessionWithoutTargetName() {
        assertFails(fixture.machine(), request(0, 1, true, text("InitiatorName=" + INITIATOR, "SessionType=Normal")),
                LoginStatus.MISSING_PARAMETER);
    }

    @Test
    void unknownTargetName() {
        LoginResponse response = assertFails(fixture.machine(), request(0, 1, true,
                text("InitiatorName=" + INITIATOR, "TargetName=iqn.2024-01.io.vhba:nothing")), LoginStatus.NOT_FOUND);

        assertThat(response.statusClass() << 8 | response.statusDetail()).isEqualTo(0x0203);
    }

    @Test
    void unknownSessionType() {
        assertFails(fixture.machine(), request(0, 1, true, text("InitiatorName=" + INITIATOR, "SessionType=Other")),
                LoginStatus.SESSION_TYPE_NOT_SUPPORTED);
    }

    @Test
    void stagesThatAreNotLoginStages() {
        assertFails(fixture.machine(), request(3, 3, false, FIRST), LoginStatus.INITIATOR_ERROR);
        assertFails(new LoginFixture().machine(), request(2, 3, true, FIRST), LoginStatus.INITIATOR_ERROR);
        assertFails(new LoginFixture().machine(), request(0, 2, true, FIRST), LoginStatus.INITIATOR_ERROR);
        assertFails(new LoginFixture().machine(), request(1, 1, true, FIRST), LoginStatus.INITIATOR_ERROR);
        assertFails(new LoginFixture().machine(), request(1, 0, true, FIRST), LoginStatus.INITIATOR_ERROR);
    }

    @Test
    void continueAndTransitTogether() {
        assertFails(fixture.machine(), request(0, 1, true, true, FIRST), LoginStatus.INITIATOR_ERROR);
    }

    @Test
    void stagesNeverGoBackwards() {
        LoginStateMachine login = fixture.machine();
        LoginStep security = login.onRequest(request(0, 1, true, text("InitiatorName=" + INITIATOR,
                "TargetName=" + TARGET, "AuthMethod=None")));
        assertThat(security.response().transit()).isTrue();
        security.response().release();

        assertFails(login, request(0, 1, true, new byte[0]), LoginStatus.INITIATOR_ERROR);
    }

    @Test
    void noStageIsEnteredWithoutTheTargetsTransit() {
        LoginStateMachine login = fixture.machine();
        login.onRequest(request(0, 1, false, FIRST)).response().release();

        assertFails(login, request(1, 3, true, new byte[0]), LoginStatus.INITIATOR_ERROR);
    }

    @Test
    void headerFieldsMustStayTheSameAcrossTheLogin() {
        int[][] changes = {{1, 0, 0, 0, 0}, {0, 1, 0, 0, 0}, {0, 0, 1, 0, 0}, {0, 0, 0, 1, 0}, {0, 0, 0, 0, 1}};
        for (int[] change : changes) {
            LoginStateMachine login = new LoginFixture().machine();
            login.onRequest(request(0, 1, false, FIRST)).response().release();
            LoginRequest next = new LoginRequest(false, false, 0, 1, 0, 0, ISID + change[0], change[1],
                    ITT + change[2], CID + change[3], CMD_SN + change[4], 0, buffer(new byte[0]));

            assertFails(login, next, LoginStatus.INITIATOR_ERROR);
        }
    }

    @Test
    void malformedText() {
        assertFails(fixture.machine(), request(0, 1, true, "InitiatorName=iqn.x:y".getBytes(StandardCharsets.US_ASCII)),
                LoginStatus.INITIATOR_ERROR);
        assertFails(new LoginFixture().machine(), request(0, 1, true,
                text("InitiatorName=" + INITIATOR, "TargetName=" + TARGET, "TargetName=" + TARGET)),
                LoginStatus.INITIATOR_ERROR);
    }

    @Test
    void renegotiationInALaterText() {
        LoginStateMachine login = fixture.machine();
        login.onRequest(request(1, 3, false, text("InitiatorName=" + INITIATOR, "TargetName=" + TARGET,
                "MaxBurstLength=65536"))).response().release();

        assertFails(login, request(1, 3, true, text("MaxBurstLength=65536")), LoginStatus.INITIATOR_ERROR);
    }

    @Test
    void changedIdentity() {
        LoginStateMachine login = fixture.machine();
        login.onRequest(request(0, 1, false, FIRST)).response().release();

        assertFails(login, request(0, 1, false, text("TargetName=iqn.other:t")), LoginStatus.INITIATOR_ERROR);
    }

    @Test
    void keysOutOfPlace() {
        assertFails(fixture.machine(), request(1, 3, true, text("InitiatorName=" + INITIATOR, "TargetName=" + TARGET,
                "CHAP_A=5")), LoginStatus.INITIATOR_ERROR);
        assertFails(new LoginFixture().machine(), request(1, 3, true, text("InitiatorName=" + INITIATOR,
                "TargetName=" + TARGET, "SendTargets=All")), LoginStatus.INITIATOR_ERROR);
        assertFails(new LoginFixture().machine(), request(1, 3, true, text("InitiatorName=" + INITIATOR,
                "TargetName=" + TARGET, "TargetAlias=mine")), LoginStatus.INITIATOR_ERROR);
    }

    @Test
    void failureResponsesCarryNoTextAndNoTransit() {
        LoginResponse response = assertFails(fixture.machine(), request(1, 3, true, text("TargetName=" + TARGET)),
                LoginStatus.MISSING_PARAMETER);

        assertThat(response.transit()).isFalse();
        assertThat(response.cont()).isFalse();
        assertThat(response.tsih()).isZero();
        assertThat(response.itt()).isEqualTo(ITT);
        assertThat(response.data().readableBytes()).isZero();
    }

    static LoginResponse assertFails(LoginStateMachine login, LoginRequest request, LoginStatus status) {
        LoginStep step = login.onRequest(request);
        assertThat(step.outcome()).isInstanceOfSatisfying(LoginOutcome.Fail.class,
                fail -> assertThat(fail.status()).isEqualTo(status));
        assertThat(step.response().statusClass()).isEqualTo(status.statusClass());
        assertThat(step.response().statusDetail()).isEqualTo(status.statusDetail());
        assertThat(login.finished()).isTrue();
        return step.response();
    }
}
