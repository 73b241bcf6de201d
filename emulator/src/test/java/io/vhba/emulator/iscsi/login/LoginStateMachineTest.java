package io.vhba.emulator.iscsi.login;

import static io.vhba.emulator.iscsi.login.LoginFixture.FIRST_STAT_SN;
import static io.vhba.emulator.iscsi.login.LoginFixture.TSIH;
import static io.vhba.emulator.iscsi.login.LoginFixture.WINDOW;
import static io.vhba.emulator.iscsi.login.LoginTexts.CMD_SN;
import static io.vhba.emulator.iscsi.login.LoginTexts.INITIATOR;
import static io.vhba.emulator.iscsi.login.LoginTexts.ISID;
import static io.vhba.emulator.iscsi.login.LoginTexts.ITT;
import static io.vhba.emulator.iscsi.login.LoginTexts.TARGET;
import static io.vhba.emulator.iscsi.login.LoginTexts.keys;
import static io.vhba.emulator.iscsi.login.LoginTexts.request;
import static io.vhba.emulator.iscsi.login.LoginTexts.string;
import static io.vhba.emulator.iscsi.login.LoginTexts.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.Unpooled;
import io.vhba.emulator.iscsi.pdu.LoginRequest;
import io.vhba.emulator.iscsi.pdu.LoginResponse;
import io.vhba.emulator.iscsi.pdu.NopOut;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class LoginStateMachineTest {

    private final LoginFixture fixture = new LoginFixture();

    @Test
    void discoverySession() {
        LoginStateMachine login = fixture.machine();

        LoginStep security = login.onRequest(request(0, 1, true,
                text("InitiatorName=" + INITIATOR, "SessionType=Discovery", "AuthMethod=None")));
        LoginResponse first = security.response();
        assertHeader(first, true, 0, 1, 0, FIRST_STAT_SN);
        assertThat(string(first)).isEqualTo("AuthMethod=None\0");
        assertThat(security.outcome()).isInstanceOf(LoginOutcome.Continue.class);

        LoginStep operational = login.onRequest(request(1, 3, true, text("HeaderDigest=None", "DataDigest=None",
                "MaxRecvDataSegmentLength=32768", "DefaultTime2Wait=2", "DefaultTime2Retain=0", "IFMarker=No",
                "OFMarker=No", "ErrorRecoveryLevel=0", "MaxConnections=1")));
        LoginResponse last = operational.response();
        assertHeader(last, true, 1, 3, TSIH, FIRST_STAT_SN + 1);
        assertThat(string(last)).isEqualTo("HeaderDigest=None\0DataDigest=None\0DefaultTime2Wait=2\0"
                + "DefaultTime2Retain=0\0IFMarker=Reject\0OFMarker=Reject\0ErrorRecoveryLevel=0\0"
                + "MaxConnections=Irrelevant\0MaxRecvDataSegmentLength=262144\0");

        LoginOutcome.Complete complete = (LoginOutcome.Complete) operational.outcome();
        assertThat(complete.tsih()).isEqualTo(TSIH);
        NegotiatedLogin negotiated = complete.login();
        assertThat(negotiated.sessionType()).isEqualTo(SessionType.DISCOVERY);
        assertThat(negotiated.initiatorName()).isEqualTo(INITIATOR);
        assertThat(negotiated.targetName()).isEmpty();
        assertThat(negotiated.isid()).isEqualTo(ISID);
        assertThat(negotiated.leading()).isTrue();
        assertThat(negotiated.connection()).isEqualTo(new ConnectionParameters(Digest.NONE, Digest.NONE, 32768, 262144));
        assertThat(negotiated.session()).hasValueSatisfying(s -> assertThat(s.defaultTime2Retain()).isZero());
        assertThat(fixture.bound).containsExactly(negotiated);
        assertThat(login.finished()).isTrue();
    }

    @Test
    void normalSessionSkippingSecurityLikeOpenIscsi() {
        LoginStep step = fixture.machine().onRequest(request(1, 3, true, text("InitiatorName=" + INITIATOR,
                "InitiatorAlias=host1", "TargetName=" + TARGET, "SessionType=Normal", "HeaderDigest=None",
                "DataDigest=None", "DefaultTime2Wait=2", "DefaultTime2Retain=0", "IFMarker=No", "OFMarker=No",
                "ErrorRecoveryLevel=0", "InitialR2T=No", "ImmediateData=Yes", "MaxBurstLength=16776192",
                "FirstBurstLength=262144", "MaxOutstandingR2T=1", "MaxConnections=1", "DataPDUInOrder=Yes",
                "DataSequenceInOrder=Yes", "MaxRecvDataSegmentLength=262144")));

        assertHeader(step.response(), true, 1, 3, TSIH, FIRST_STAT_SN);
        assertThat(string(step.response())).isEqualTo("TargetPortalGroupTag=1\0TargetAlias=disk0\0"
                + "HeaderDigest=None\0DataDigest=None\0DefaultTime2Wait=2\0DefaultTime2Retain=0\0IFMarker=Reject\0"
                + "OFMarker=Reject\0ErrorRecoveryLevel=0\0InitialR2T=No\0ImmediateData=Yes\0MaxBurstLength=1048576\0"
                + "FirstBurstLength=262144\0MaxOutstandingR2T=1\0MaxConnections=1\0DataPDUInOrder=Yes\0"
                + "DataSequenceInOrder=Yes\0MaxRecvDataSegmentLength=262144\0");
        NegotiatedLogin negotiated = ((LoginOutcome.Complete) step.outcome()).login();
        assertThat(negotiated.targetName()).hasValue(TARGET);
        assertThat(negotiated.initiatorAlias()).hasValue("host1");
        assertThat(negotiated.session()).hasValue(new SessionParameters(1, false, true, 1048576, 262144, 2, 0, 1,
                true, true, 0, TaskReporting.RFC3720, 1));
        assertThat(negotiated.connection()).isEqualTo(new ConnectionParameters(Digest.NONE, Digest.NONE, 262144, 262144));
    }

    @Test
    void theTargetOffersWhatItWantsAndWaitsForTheAnswersBeforeTransit() {
        LoginStateMachine login = fixture.machine();
        LoginStep offers = login.onRequest(request(1, 3, true,
                text("InitiatorName=" + INITIATOR, "TargetName=" + TARGET, "HeaderDigest=CRC32C,None")));

        // §11.13.1: a response that needs answers within the stage has T=0.
        assertHeader(offers.response(), false, 1, 0, 0, FIRST_STAT_SN);
        assertThat(string(offers.response())).isEqualTo("TargetPortalGroupTag=1\0TargetAlias=disk0\0"
                + "HeaderDigest=CRC32C\0MaxRecvDataSegmentLength=262144\0InitialR2T=No\0MaxBurstLength=1048576\0"
                + "FirstBurstLength=262144\0MaxOutstandingR2T=8\0");

        LoginStep answers = login.onRequest(request(1, 3, true, text("InitialR2T=No", "MaxBurstLength=524288",
                "FirstBurstLength=262144", "MaxOutstandingR2T=8")));

        assertHeader(answers.response(), true, 1, 3, TSIH, FIRST_STAT_SN + 1);
        assertThat(string(answers.response())).isEmpty();
        SessionParameters session = ((LoginOutcome.Complete) answers.outcome()).login().session().orElseThrow();
        assertThat(session.maxOutstandingR2T()).isEqualTo(8);
        assertThat(session.initialR2T()).isFalse();
        assertThat(session.maxBurstLength()).isEqualTo(524288);
        assertThat(session.firstBurstLength()).isEqualTo(262144);
        assertThat(((LoginOutcome.Complete) answers.outcome()).login().connection().headerDigest())
                .isEqualTo(Digest.CRC32C);
    }

    @Test
    void keysOfAnInitiatorThatSendsEverythingInTheOperationalStageLikeJscsi() {
        LoginStep step = fixture.machine().onRequest(request(1, 3, true, text("AuthMethod=None",
                "IFMarkInt=2048", "OFMarkInt=2048~4096", "InitiatorName=" + INITIATOR, "TargetName=" + TARGET,
                "X-com.example.Unknown=1", "X#Vendor=2", "InitialR2T=Yes", "MaxBurstLength=262144",
                "FirstBurstLength=65536", "MaxOutstandingR2T=1")));

        assertThat(keys(step.response())).containsEntry("AuthMethod", "None").containsEntry("IFMarkInt", "Reject")
                .containsEntry("OFMarkInt", "Reject").containsEntry("X-com.example.Unknown", "NotUnderstood")
                .containsEntry("X#Vendor", "NotUnderstood");
        assertThat(step.outcome()).isInstanceOf(LoginOutcome.Complete.class);
    }

    @Test
    void securityStageStraightToFullFeatureDeclaresInTheFinalResponse() {
        LoginStep step = fixture.machine().onRequest(request(0, 3, true,
                text("InitiatorName=" + INITIATOR, "TargetName=" + TARGET, "AuthMethod=None")));

        assertHeader(step.response(), true, 0, 3, TSIH, FIRST_STAT_SN);
        assertThat(string(step.response())).isEqualTo("TargetPortalGroupTag=1\0TargetAlias=disk0\0AuthMethod=None\0"
                + "MaxRecvDataSegmentLength=262144\0");
        assertThat(((LoginOutcome.Complete) step.outcome()).login().session()).hasValue(SessionParameters.defaults());
    }

    @Test
    void identityKeysMayBeRepeatedUnchangedLikeLibiscsi() {
        LoginStateMachine login = fixture.machine();
        LoginStep security = login.onRequest(request(0, 1, true, text("InitiatorName=" + INITIATOR,
                "TargetName=" + TARGET, "SessionType=Normal", "AuthMethod=CHAP,None")));
        assertHeader(security.response(), true, 0, 1, 0, FIRST_STAT_SN);
        assertThat(keys(security.response())).containsEntry("AuthMethod", "None");

        LoginStep operational = login.onRequest(request(1, 3, true, text("InitiatorName=" + INITIATOR,
                "TargetName=" + TARGET, "SessionType=Normal", "InitialR2T=No", "MaxBurstLength=262144",
                "FirstBurstLength=65536", "MaxOutstandingR2T=1")));

        assertThat(keys(operational.response())).doesNotContainKey("TargetPortalGroupTag");
        assertThat(operational.outcome()).isInstanceOf(LoginOutcome.Complete.class);
    }

    @Test
    void textSplitAcrossContinuedRequestsAtAPairBoundaryOrInside() {
        byte[] whole = text("InitiatorName=" + INITIATOR, "TargetName=" + TARGET, "AuthMethod=None");
        for (int cut : new int[] {5, 42, whole.length - 3}) {
            LoginFixture fresh = new LoginFixture();
            LoginStateMachine login = fresh.machine();
            LoginStep a = login.onRequest(request(0, 1, false, true, Arrays.copyOfRange(whole, 0, cut)));
            LoginStep b = login.onRequest(request(0, 1, true, false, Arrays.copyOfRange(whole, cut, whole.length)));

            // §6.1: a request with C=1 gets an empty response; the first response to C=0 has the tag.
            assertHeader(a.response(), false, 0, 0, 0, FIRST_STAT_SN);
            assertThat(a.response().cont()).isFalse();
            assertThat(string(a.response())).isEmpty();
            assertHeader(b.response(), true, 0, 1, 0, FIRST_STAT_SN + 1);
            assertThat(keys(b.response())).containsEntry("TargetPortalGroupTag", "1").containsEntry("AuthMethod", "None");
        }
    }

    @Test
    void longResponsesGoOutInPiecesWithinTheInitiatorsMaxRecvDataSegmentLength() {
        List<String> keys = new ArrayList<>(List.of("InitiatorName=" + INITIATOR, "TargetName=" + TARGET,
                "AuthMethod=None", "MaxRecvDataSegmentLength=512"));
        for (int i = 0; i < 40; i++) {
            keys.add("X-com.example.key" + i + "=1");
        }
        LoginStateMachine login = fixture.machine();
        LoginStep step = login.onRequest(request(0, 1, true, text(keys.toArray(String[]::new))));
        ByteArrayOutputStream joined = new ByteArrayOutputStream();
        int pieces = 0;
        while (step.response().cont()) {
            assertThat(step.response().transit()).isFalse();
            assertThat(step.response().data().readableBytes()).isEqualTo(512);
            joined.writeBytes(bytes(step.response()));
            pieces++;
            step = login.onRequest(request(0, 1, true, new byte[0]));
        }
        assertThat(step.response().data().readableBytes()).isLessThanOrEqualTo(512);
        assertHeader(step.response(), true, 0, 1, 0, FIRST_STAT_SN + pieces);
        joined.writeBytes(bytes(step.response()));

        List<TextPair> answer = TextCodec.decode(joined.toByteArray());
        assertThat(pieces).isGreaterThanOrEqualTo(2);
        assertThat(answer).hasSize(43);
        assertThat(answer.get(0)).isEqualTo(new TextPair("TargetPortalGroupTag", "1"));
        assertThat(answer).contains(new TextPair("X-com.example.key39", "NotUnderstood"),
                new TextPair("AuthMethod", "None"));
    }

    @Test
    void textWhileTheTargetsTextContinuesIsAProtocolError() {
        List<String> keys = new ArrayList<>(List.of("InitiatorName=" + INITIATOR, "TargetName=" + TARGET,
                "MaxRecvDataSegmentLength=512"));
        for (int i = 0; i < 40; i++) {
            keys.add("X-com.example.key" + i + "=1");
        }
        LoginStateMachine login = fixture.machine();
        LoginStep first = login.onRequest(request(0, 1, false, text(keys.toArray(String[]::new))));
        assertThat(first.response().cont()).isTrue();
        first.response().release();

        LoginStep step = login.onRequest(request(0, 1, false, text("AuthMethod=None")));

        assertThat(((LoginOutcome.Fail) step.outcome()).status()).isEqualTo(LoginStatus.INITIATOR_ERROR);
    }

    @Test
    void addingAConnectionLeavesSessionParametersToTheSession() {
        LoginRequest join = new LoginRequest(true, false, 1, 3, 0, 0, ISID, TSIH, ITT, 2, CMD_SN, 0,
                Unpooled.wrappedBuffer(text("InitiatorName=" + INITIATOR, "TargetName=" + TARGET,
                        "SessionType=Normal", "HeaderDigest=CRC32C")));

        LoginStep step = fixture.machine().onRequest(join);

        assertThat(step.response().tsih()).isEqualTo(TSIH);
        NegotiatedLogin negotiated = ((LoginOutcome.Complete) step.outcome()).login();
        assertThat(negotiated.leading()).isFalse();
        assertThat(negotiated.requestedTsih()).isEqualTo(TSIH);
        assertThat(negotiated.cid()).isEqualTo(2);
        assertThat(negotiated.session()).isEmpty();
        assertThat(negotiated.connection().headerDigest()).isEqualTo(Digest.CRC32C);
        step.response().release();
    }

    @Test
    void theSessionLayerMayRefuseTheLogin() {
        fixture.binding = new SessionBinding.Refused(LoginStatus.SESSION_DOES_NOT_EXIST);

        LoginStep step = fixture.machine().onRequest(request(0, 3, true,
                text("InitiatorName=" + INITIATOR, "TargetName=" + TARGET)));

        assertThat(step.response().statusClass()).isEqualTo(0x02);
        assertThat(step.response().statusDetail()).isEqualTo(0x0a);
        assertThat(step.response().transit()).isFalse();
        assertThat(step.response().data().readableBytes()).isZero();
        assertThat(((LoginOutcome.Fail) step.outcome()).status()).isEqualTo(LoginStatus.SESSION_DOES_NOT_EXIST);
    }

    @Test
    void aNonLoginPduDuringLoginFailsIt() {
        LoginStateMachine login = fixture.machine();
        login.onRequest(request(0, 1, false, text("InitiatorName=" + INITIATOR, "TargetName=" + TARGET)))
                .response().release();

        LoginStep step = login.onNonLoginPdu(new NopOut(true, 0, 0x77, -1, CMD_SN, 0, Unpooled.EMPTY_BUFFER));

        assertThat(step.response().statusClass()).isEqualTo(0x02);
        assertThat(step.response().statusDetail()).isEqualTo(0x0b);
        assertThat(step.response().itt()).isEqualTo(ITT);
        assertThat(step.response().isid()).isEqualTo(ISID);
        assertThat(((LoginOutcome.Fail) step.outcome()).status()).isEqualTo(LoginStatus.INVALID_REQUEST_DURING_LOGIN);
        assertThat(login.finished()).isTrue();
    }

    @Test
    void noRequestIsAcceptedAfterTheEnd() {
        LoginStateMachine login = fixture.machine();
        login.onRequest(request(1, 3, true, text("SessionType=Normal"))).response().release();

        assertThatThrownBy(() -> login.onRequest(request(1, 3, true, text("InitiatorName=" + INITIATOR))))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void theRequestBufferIsReleased() {
        var data = Unpooled.copiedBuffer(text("InitiatorName=" + INITIATOR, "TargetName=" + TARGET));
        LoginStep step = fixture.machine().onRequest(new LoginRequest(false, false, 0, 0, 0, 0, ISID, 0, ITT, 1,
                CMD_SN, 0, data));

        assertThat(data.refCnt()).isZero();
        step.response().release();
    }

    @Test
    void sequenceNumbersOfALeadingLogin() {
        LoginSequenceNumbers numbers = LoginSequenceNumbers.leading(7, 16);

        assertThat(numbers.nextStatSN()).isEqualTo(7);
        assertThat(numbers.nextStatSN()).isEqualTo(8);
        assertThat(numbers.expCmdSN(100)).isEqualTo(100);
        assertThat(numbers.maxCmdSN(100)).isEqualTo(115);
        assertThat(numbers.maxCmdSN(-1)).isEqualTo(14); // serial arithmetic wraps
    }

    private static void assertHeader(LoginResponse response, boolean transit, int csg, int nsg, int tsih, int statSN) {
        assertThat(response.transit()).as("T").isEqualTo(transit);
        assertThat(response.csg()).as("CSG").isEqualTo(csg);
        assertThat(response.nsg()).as("NSG").isEqualTo(nsg);
        assertThat(response.tsih()).as("TSIH").isEqualTo(tsih);
        assertThat(response.statSN()).as("StatSN").isEqualTo(statSN);
        assertThat(response.versionMax()).isZero();
        assertThat(response.versionActive()).isZero();
        assertThat(response.isid()).isEqualTo(ISID);
        assertThat(response.itt()).isEqualTo(ITT);
        assertThat(response.expCmdSN()).isEqualTo(CMD_SN);
        assertThat(response.maxCmdSN()).isEqualTo(CMD_SN + WINDOW - 1);
        assertThat(response.statusClass()).isZero();
        assertThat(response.statusDetail()).isZero();
    }

    private static byte[] bytes(LoginResponse response) {
        byte[] bytes = new byte[response.data().readableBytes()];
        response.data().getBytes(response.data().readerIndex(), bytes);
        response.release();
        return bytes;
    }

}
