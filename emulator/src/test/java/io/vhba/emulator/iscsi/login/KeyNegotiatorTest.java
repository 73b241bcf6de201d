package io.vhba.emulator.iscsi.login;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** Every negotiated key with its result function, against the default policy unless stated. */
class KeyNegotiatorTest {

    @ParameterizedTest(name = "{0}={1} -> {2}")
    @CsvSource(delimiter = '|', textBlock = """
            HeaderDigest        | CRC32C,None      | CRC32C
            HeaderDigest        | None,CRC32C      | None
            HeaderDigest        | MD5,CRC32C       | CRC32C
            HeaderDigest        | MD5              | Reject
            DataDigest          | CRC32C           | CRC32C
            DataDigest          | None             | None
            MaxConnections      | 4                | 1
            MaxConnections      | 0                | Reject
            InitialR2T          | Yes              | Yes
            InitialR2T          | No               | No
            InitialR2T          | yes              | Reject
            ImmediateData       | Yes              | Yes
            ImmediateData       | No               | No
            MaxBurstLength      | 262144           | 262144
            MaxBurstLength      | 16777215         | 1048576
            MaxBurstLength      | 0x40000          | 262144
            MaxBurstLength      | 511              | Reject
            MaxBurstLength      | 16777216         | Reject
            MaxBurstLength      | 0262144          | Reject
            FirstBurstLength    | 65536            | 65536
            FirstBurstLength    | 1048576          | 262144
            DefaultTime2Wait    | 0                | 2
            DefaultTime2Wait    | 10               | 10
            DefaultTime2Wait    | 3601             | Reject
            DefaultTime2Retain  | 0                | 0
            DefaultTime2Retain  | 60               | 20
            MaxOutstandingR2T   | 16               | 8
            MaxOutstandingR2T   | 4                | 4
            MaxOutstandingR2T   | 0                | Reject
            DataPDUInOrder      | No               | Yes
            DataPDUInOrder      | Yes              | Yes
            DataSequenceInOrder | No               | Yes
            ErrorRecoveryLevel  | 2                | 0
            ErrorRecoveryLevel  | 3                | Reject
            TaskReporting       | RFC3720,ResponseFence | RFC3720
            TaskReporting       | FastAbort        | Reject
            iSCSIProtocolLevel  | 2                | 1
            iSCSIProtocolLevel  | 0                | 0
            iSCSIProtocolLevel  | 32               | Reject
            """)
    void answersWithTheResultFunction(String key, String offer, String answer) {
        assertThat(answer(TargetPolicy.defaults(), SessionType.NORMAL, key, offer)).isEqualTo(answer);
    }

    static Stream<Arguments> policyVariants() {
        return Stream.of(
                Arguments.of(TargetPolicy.builder().maxOutstandingR2T(4).build(), "MaxOutstandingR2T", "16", "4"),
                Arguments.of(TargetPolicy.builder().initialR2T(true).build(), "InitialR2T", "No", "Yes"),
                Arguments.of(TargetPolicy.builder().immediateData(false).build(), "ImmediateData", "Yes", "No"),
                Arguments.of(TargetPolicy.builder().dataPduInOrder(false).build(), "DataPDUInOrder", "No", "No"),
                Arguments.of(TargetPolicy.builder().dataSequenceInOrder(false).build(), "DataSequenceInOrder", "No", "No"),
                Arguments.of(TargetPolicy.builder().headerDigests(EnumSet.of(Digest.CRC32C)).build(), "HeaderDigest", "None", "Reject"),
                Arguments.of(TargetPolicy.builder().dataDigests(EnumSet.of(Digest.NONE)).build(), "DataDigest", "CRC32C,None", "None"),
                Arguments.of(TargetPolicy.builder().errorRecoveryLevel(2).build(), "ErrorRecoveryLevel", "1", "1"),
                Arguments.of(TargetPolicy.builder().defaultTime2Wait(5).build(), "DefaultTime2Wait", "3", "5"),
                Arguments.of(TargetPolicy.builder().maxConnections(4).build(), "MaxConnections", "8", "4"),
                Arguments.of(TargetPolicy.builder().iscsiProtocolLevel(2).build(), "iSCSIProtocolLevel", "2", "2"),
                Arguments.of(TargetPolicy.builder().taskReporting(EnumSet.allOf(TaskReporting.class)).build(),
                        "TaskReporting", "FastAbort,ResponseFence,RFC3720", "FastAbort"));
    }

    @ParameterizedTest(name = "{1}={2} -> {3}")
    @MethodSource("policyVariants")
    void theTargetSideComesFromThePolicy(TargetPolicy policy, String key, String offer, String answer) {
        assertThat(answer(policy, SessionType.NORMAL, key, offer)).isEqualTo(answer);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            MaxConnections      | 1       | Irrelevant
            InitialR2T          | No      | Irrelevant
            ImmediateData       | Yes     | Irrelevant
            MaxBurstLength      | 262144  | Irrelevant
            FirstBurstLength    | 65536   | Irrelevant
            MaxOutstandingR2T   | 1       | Irrelevant
            DataPDUInOrder      | Yes     | Irrelevant
            DataSequenceInOrder | Yes     | Irrelevant
            TaskReporting       | RFC3720 | Irrelevant
            iSCSIProtocolLevel  | 1       | Irrelevant
            ErrorRecoveryLevel  | 1       | 0
            DefaultTime2Wait    | 1       | 2
            DefaultTime2Retain  | 0       | 0
            HeaderDigest        | CRC32C  | CRC32C
            """)
    void discoverySessionsAnswerIrrelevantWhereTheRfcSaysSo(String key, String offer, String answer) {
        assertThat(answer(TargetPolicy.defaults(), SessionType.DISCOVERY, key, offer)).isEqualTo(answer);
    }

    @Test
    void firstBurstLengthIsIrrelevantWithoutUnsolicitedDataWhereverItStands() {
        KeyNegotiator negotiator = normal(TargetPolicy.defaults());
        List<TextPair> out = new ArrayList<>();
        negotiator.negotiate(LoginKey.FIRST_BURST_LENGTH, "65536", out);
        negotiator.negotiate(LoginKey.INITIAL_R2T, "Yes", out);
        negotiator.negotiate(LoginKey.IMMEDIATE_DATA, "No", out);
        negotiator.endOfText(out);

        assertThat(out).containsExactly(pair("FirstBurstLength", "Irrelevant"), pair("InitialR2T", "Yes"),
                pair("ImmediateData", "No"));
        assertThat(negotiator.sessionParameters().firstBurstLength()).isEqualTo(65536);
    }

    @Test
    void firstBurstLengthNeverExceedsMaxBurstLength() {
        KeyNegotiator negotiator = normal(TargetPolicy.defaults());
        List<TextPair> out = new ArrayList<>();
        negotiator.negotiate(LoginKey.FIRST_BURST_LENGTH, "262144", out);
        negotiator.negotiate(LoginKey.MAX_BURST_LENGTH, "65536", out);
        negotiator.endOfText(out);

        assertThat(out).containsExactly(pair("FirstBurstLength", "65536"), pair("MaxBurstLength", "65536"));
    }

    @Test
    void declarationsGetNoAnswerButAreKept() {
        KeyNegotiator negotiator = normal(TargetPolicy.defaults());
        List<TextPair> out = new ArrayList<>();
        negotiator.negotiate(LoginKey.MAX_RECV_DATA_SEGMENT_LENGTH, "65536", out);
        negotiator.negotiate(LoginKey.INITIATOR_ALIAS, "host one", out);
        negotiator.negotiate(LoginKey.NODE_ARCHITECTURE, "ExampleOS/v1,Example_SW/1.0", out);

        assertThat(out).isEmpty();
        assertThat(negotiator.initiatorMaxRecvDataSegmentLength()).isEqualTo(65536);
        assertThat(negotiator.declared(LoginKey.INITIATOR_ALIAS)).hasValue("host one");
        assertThat(negotiator.connectionParameters())
                .isEqualTo(new ConnectionParameters(Digest.NONE, Digest.NONE, 65536, 262144));
    }

    @Test
    void malformedDeclarationIsRejectedAndTheDefaultHolds() {
        KeyNegotiator negotiator = normal(TargetPolicy.defaults());
        List<TextPair> out = new ArrayList<>();
        negotiator.negotiate(LoginKey.MAX_RECV_DATA_SEGMENT_LENGTH, "100", out);

        assertThat(out).containsExactly(pair("MaxRecvDataSegmentLength", "Reject"));
        assertThat(negotiator.initiatorMaxRecvDataSegmentLength()).isEqualTo(8192);
    }

    @Test
    void theTargetDeclaresItsMaxRecvDataSegmentLengthOnce() {
        KeyNegotiator negotiator = normal(TargetPolicy.builder().maxRecvDataSegmentLength(65536).build());
        List<TextPair> out = new ArrayList<>();
        negotiator.declareTargetLimits(out);
        negotiator.declareTargetLimits(out);

        assertThat(out).containsExactly(pair("MaxRecvDataSegmentLength", "65536"));
        assertThat(negotiator.targetLimitsDeclared()).isTrue();
    }

    @Test
    void offersTheKeysWhoseDefaultTheTargetDoesNotWant() {
        KeyNegotiator negotiator = normal(TargetPolicy.defaults());
        List<TextPair> out = new ArrayList<>();
        negotiator.offer(out);

        assertThat(out).containsExactly(pair("InitialR2T", "No"), pair("MaxBurstLength", "1048576"),
                pair("FirstBurstLength", "262144"), pair("MaxOutstandingR2T", "8"));
        assertThat(negotiator.hasPendingOffers()).isTrue();
    }

    @Test
    void offersNothingTheInitiatorAlreadyNegotiatedOrThatIsIrrelevant() {
        KeyNegotiator negotiator = normal(TargetPolicy.defaults());
        List<TextPair> out = new ArrayList<>();
        negotiator.negotiate(LoginKey.INITIAL_R2T, "Yes", out);
        negotiator.negotiate(LoginKey.IMMEDIATE_DATA, "No", out);
        negotiator.negotiate(LoginKey.MAX_BURST_LENGTH, "65536", out);
        negotiator.endOfText(out);
        out.clear();
        negotiator.offer(out);

        // FirstBurstLength is irrelevant now; MaxOutstandingR2T is still at its default of 1.
        assertThat(out).containsExactly(pair("MaxOutstandingR2T", "8"));
    }

    @Test
    void discoveryAndNonLeadingLoginsOfferNoSessionKeys() {
        KeyNegotiator discovery = new KeyNegotiator(TargetPolicy.defaults(), true);
        discovery.sessionType(SessionType.DISCOVERY);
        KeyNegotiator nonLeading = new KeyNegotiator(TargetPolicy.defaults(), false);
        List<TextPair> out = new ArrayList<>();
        discovery.offer(out);
        nonLeading.offer(out);

        assertThat(out).isEmpty();
    }

    @Test
    void answersToOffersAreCheckedAgainstTheResultFunction() {
        KeyNegotiator fresh = normal(TargetPolicy.defaults());
        fresh.offer(new ArrayList<>());
        List<TextPair> answers = new ArrayList<>();
        fresh.negotiate(LoginKey.INITIAL_R2T, "Yes", answers);
        fresh.negotiate(LoginKey.MAX_BURST_LENGTH, "Reject", answers);
        fresh.negotiate(LoginKey.FIRST_BURST_LENGTH, "131072", answers);
        fresh.negotiate(LoginKey.MAX_OUTSTANDING_R2T, "4", answers);
        fresh.endOfText(answers);

        assertThat(answers).isEmpty();
        assertThat(fresh.hasPendingOffers()).isFalse();
        SessionParameters session = fresh.sessionParameters();
        assertThat(session.initialR2T()).isTrue();
        assertThat(session.maxBurstLength()).isEqualTo(262144);
        assertThat(session.firstBurstLength()).isEqualTo(131072);
        assertThat(session.maxOutstandingR2T()).isEqualTo(4);
    }

    @Test
    void anAnswerBeyondTheOfferIsAProtocolError() {
        KeyNegotiator negotiator = normal(TargetPolicy.defaults());
        negotiator.offer(new ArrayList<>());

        assertThatThrownBy(() -> negotiator.negotiate(LoginKey.MAX_OUTSTANDING_R2T, "16", new ArrayList<>()))
                .isInstanceOf(LoginException.class)
                .extracting(e -> ((LoginException) e).status()).isEqualTo(LoginStatus.INITIATOR_ERROR);
    }

    @Test
    void unansweredOffersLapseAtTheEndOfTheNextTextAndAreNotRepeated() {
        KeyNegotiator negotiator = normal(TargetPolicy.defaults());
        negotiator.offer(new ArrayList<>());
        negotiator.endOfText(new ArrayList<>());
        List<TextPair> again = new ArrayList<>();
        negotiator.offer(again);

        assertThat(negotiator.hasPendingOffers()).isFalse();
        assertThat(again).isEmpty();
        assertThat(negotiator.sessionParameters()).isEqualTo(SessionParameters.defaults());
    }

    @Test
    void protocolErrorsEndTheLogin() {
        assertInitiatorError(normal(TargetPolicy.defaults()), LoginKey.TARGET_ALIAS, "x");
        assertInitiatorError(normal(TargetPolicy.defaults()), LoginKey.TARGET_PORTAL_GROUP_TAG, "1");
        assertInitiatorError(normal(TargetPolicy.defaults()), LoginKey.SEND_TARGETS, "All");
        assertInitiatorError(normal(TargetPolicy.defaults()), LoginKey.MAX_BURST_LENGTH, "Reject");
        assertInitiatorError(new KeyNegotiator(TargetPolicy.defaults(), false), LoginKey.MAX_BURST_LENGTH, "65536");

        KeyNegotiator twice = normal(TargetPolicy.defaults());
        twice.negotiate(LoginKey.MAX_BURST_LENGTH, "65536", new ArrayList<>());
        assertInitiatorError(twice, LoginKey.MAX_BURST_LENGTH, "65536");

        KeyNegotiator renamed = normal(TargetPolicy.defaults());
        renamed.negotiate(LoginKey.INITIATOR_NAME, "iqn.a:b", new ArrayList<>());
        renamed.negotiate(LoginKey.INITIATOR_NAME, "iqn.a:b", new ArrayList<>()); // repeated, same value: fine
        assertInitiatorError(renamed, LoginKey.INITIATOR_NAME, "iqn.a:c");
    }

    @Test
    void nonLeadingLoginsStillNegotiateConnectionKeys() {
        KeyNegotiator negotiator = new KeyNegotiator(TargetPolicy.defaults(), false);
        List<TextPair> out = new ArrayList<>();
        negotiator.negotiate(LoginKey.HEADER_DIGEST, "CRC32C", out);
        negotiator.negotiate(LoginKey.SESSION_TYPE, "Normal", out);

        assertThat(out).containsExactly(pair("HeaderDigest", "CRC32C"));
    }

    @Test
    void parametersCarryEveryNegotiatedValue() {
        KeyNegotiator negotiator = normal(TargetPolicy.defaults());
        List<TextPair> out = new ArrayList<>();
        String[][] offers = {
                {"MaxConnections", "1"}, {"InitialR2T", "No"}, {"ImmediateData", "Yes"},
                {"MaxBurstLength", "524288"}, {"FirstBurstLength", "131072"}, {"DefaultTime2Wait", "0"},
                {"DefaultTime2Retain", "0"}, {"MaxOutstandingR2T", "16"}, {"DataPDUInOrder", "Yes"},
                {"DataSequenceInOrder", "Yes"}, {"ErrorRecoveryLevel", "0"}, {"TaskReporting", "RFC3720"},
                {"iSCSIProtocolLevel", "1"}, {"HeaderDigest", "CRC32C"}, {"DataDigest", "CRC32C,None"},
                {"MaxRecvDataSegmentLength", "131072"}};
        for (String[] offer : offers) {
            negotiator.negotiate(LoginKey.byName(offer[0]).orElseThrow(), offer[1], out);
        }
        negotiator.endOfText(out);

        assertThat(negotiator.sessionParameters()).isEqualTo(new SessionParameters(1, false, true, 524288, 131072,
                2, 0, 8, true, true, 0, TaskReporting.RFC3720, 1));
        assertThat(negotiator.connectionParameters())
                .isEqualTo(new ConnectionParameters(Digest.CRC32C, Digest.CRC32C, 131072, 262144));
    }

    private static void assertInitiatorError(KeyNegotiator negotiator, LoginKey key, String value) {
        assertThatThrownBy(() -> negotiator.negotiate(key, value, new ArrayList<>()))
                .as("%s=%s", key.keyName(), value)
                .isInstanceOf(LoginException.class)
                .extracting(e -> ((LoginException) e).status()).isEqualTo(LoginStatus.INITIATOR_ERROR);
    }

    private static String answer(TargetPolicy policy, SessionType type, String key, String offer) {
        KeyNegotiator negotiator = new KeyNegotiator(policy, true);
        negotiator.sessionType(type);
        List<TextPair> out = new ArrayList<>();
        negotiator.negotiate(LoginKey.byName(key).orElseThrow(), offer, out);
        negotiator.endOfText(out);
        assertThat(out).hasSize(1);
        assertThat(out.get(0).key()).isEqualTo(key);
        return out.get(0).value();
    }

    private static KeyNegotiator normal(TargetPolicy policy) {
        KeyNegotiator negotiator = new KeyNegotiator(policy, true);
        negotiator.sessionType(SessionType.NORMAL);
        return negotiator;
    }

    private static TextPair pair(String key, String value) {
        return new TextPair(key, value);
    }
}
