package io.vhba.emulator.iscsi.login;

import static io.vhba.emulator.iscsi.login.LoginTexts.INITIATOR;
import static io.vhba.emulator.iscsi.login.LoginTexts.TARGET;
import static io.vhba.emulator.iscsi.login.LoginTexts.request;
import static io.vhba.emulator.iscsi.login.LoginTexts.text;
import static org.assertj.core.api.Assertions.assertThat;

import io.vhba.emulator.iscsi.pdu.LoginResponse;
import org.junit.jupiter.api.Test;

/** An initiator the target's access control list refuses (RFC 7143 §11.13.5, status 0x0202). */
class AuthorizationTest {
    private final LoginFixture fixture = new LoginFixture();

    @Test
    void aRefusedInitiatorFailsAtItsFirstRequestWithAuthorizationFailure() {
        fixture.authorized = false;
        LoginStep step = fixture.machine().onRequest(request(0, 1, true,
                text("InitiatorName=" + INITIATOR, "TargetName=" + TARGET, "AuthMethod=None")));
        LoginResponse r = step.response();
        assertThat(r.statusClass() << 8 | r.statusDetail()).isEqualTo(0x0202);
        assertThat(step.outcome()).isEqualTo(new LoginOutcome.Fail(LoginStatus.AUTHORIZATION_FAILURE,
                INITIATOR + " is not on the access list of " + TARGET));
        assertThat(r.data().readableBytes()).as("no keys, not even TargetPortalGroupTag, go to a refused initiator").isZero();
        assertThat(fixture.bound).isEmpty();
    }

    @Test
    void theAclIsCheckedBeforeCHAPSoARefusedInitiatorGetsNoChallenge() {
        fixture.authorized = false;
        fixture.targetAuthentication = AuthenticationPolicy.chap(LoginFixture.INITIATOR_CHAP);
        LoginStep step = fixture.machine().onRequest(request(0, 1, false,
                text("InitiatorName=" + INITIATOR, "TargetName=" + TARGET, "AuthMethod=CHAP")));
        assertThat(step.outcome()).isInstanceOf(LoginOutcome.Fail.class);
        assertThat(step.response().statusDetail()).isEqualTo(2);
    }

    @Test
    void discoverySessionsAreNotSubjectToATargetsAcl() {
        fixture.authorized = false;
        LoginStep step = fixture.machine().onRequest(request(0, 3, true,
                text("InitiatorName=" + INITIATOR, "SessionType=Discovery", "AuthMethod=None")));
        assertThat(step.response().statusClass()).isZero();
    }
}
