package io.vhba.emulator.iscsi.login;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** The key table against the "Use / Senders / Scope / default / result function" lines of RFC 7143 §12-13. */
class LoginKeyTest {

    static Stream<Arguments> rfcKeys() {
        return Stream.of(
                row("HeaderDigest", KeyUse.INITIALIZE_ONLY, KeyScope.CONNECTION, KeySender.BOTH, "None", ResultFunction.LIST, Irrelevance.NEVER),
                row("DataDigest", KeyUse.INITIALIZE_ONLY, KeyScope.CONNECTION, KeySender.BOTH, "None", ResultFunction.LIST, Irrelevance.NEVER),
                row("MaxConnections", KeyUse.LEADING_ONLY, KeyScope.SESSION, KeySender.BOTH, "1", ResultFunction.MINIMUM, Irrelevance.DISCOVERY_SESSION),
                row("SendTargets", KeyUse.FULL_FEATURE_ONLY, KeyScope.SESSION, KeySender.INITIATOR, null, ResultFunction.REQUEST, Irrelevance.NEVER),
                row("TargetName", KeyUse.INITIALIZE_ONLY, KeyScope.SESSION, KeySender.INITIATOR, null, ResultFunction.DECLARATIVE, Irrelevance.NEVER),
                row("InitiatorName", KeyUse.INITIALIZE_ONLY, KeyScope.SESSION, KeySender.INITIATOR, null, ResultFunction.DECLARATIVE, Irrelevance.NEVER),
                row("TargetAlias", KeyUse.ALL, KeyScope.SESSION, KeySender.TARGET, null, ResultFunction.DECLARATIVE, Irrelevance.NEVER),
                row("InitiatorAlias", KeyUse.ALL, KeyScope.SESSION, KeySender.INITIATOR, null, ResultFunction.DECLARATIVE, Irrelevance.NEVER),
                row("TargetAddress", KeyUse.ALL, KeyScope.SESSION, KeySender.TARGET, null, ResultFunction.DECLARATIVE, Irrelevance.NEVER),
                row("TargetPortalGroupTag", KeyUse.INITIALIZE_ONLY, KeyScope.SESSION, KeySender.TARGET, null, ResultFunction.DECLARATIVE, Irrelevance.NEVER),
                row("InitialR2T", KeyUse.LEADING_ONLY, KeyScope.SESSION, KeySender.BOTH, "Yes", ResultFunction.OR, Irrelevance.DISCOVERY_SESSION),
                row("ImmediateData", KeyUse.LEADING_ONLY, KeyScope.SESSION, KeySender.BOTH, "Yes", ResultFunction.AND, Irrelevance.DISCOVERY_SESSION),
                row("MaxRecvDataSegmentLength", KeyUse.ALL, KeyScope.CONNECTION, KeySender.BOTH, "8192", ResultFunction.DECLARATIVE, Irrelevance.NEVER),
                row("MaxBurstLength", KeyUse.LEADING_ONLY, KeyScope.SESSION, KeySender.BOTH, "262144", ResultFunction.MINIMUM, Irrelevance.DISCOVERY_SESSION),
                row("FirstBurstLength", KeyUse.LEADING_ONLY, KeyScope.SESSION, KeySender.BOTH, "65536", ResultFunction.MINIMUM, Irrelevance.DISCOVERY_SESSION_OR_NO_UNSOLICITED_DATA),
                row("DefaultTime2Wait", KeyUse.LEADING_ONLY, KeyScope.SESSION, KeySender.BOTH, "2", ResultFunction.MAXIMUM, Irrelevance.NEVER),
                row("DefaultTime2Retain", KeyUse.LEADING_ONLY, KeyScope.SESSION, KeySender.BOTH, "20", ResultFunction.MINIMUM, Irrelevance.NEVER),
                row("MaxOutstandingR2T", KeyUse.LEADING_ONLY, KeyScope.SESSION, KeySender.BOTH, "1", ResultFunction.MINIMUM, Irrelevance.DISCOVERY_SESSION),
                row("DataPDUInOrder", KeyUse.LEADING_ONLY, KeyScope.SESSION, KeySender.BOTH, "Yes", ResultFunction.OR, Irrelevance.DISCOVERY_SESSION),
                row("DataSequenceInOrder", KeyUse.LEADING_ONLY, KeyScope.SESSION, KeySender.BOTH, "Yes", ResultFunction.OR, Irrelevance.DISCOVERY_SESSION),
                row("ErrorRecoveryLevel", KeyUse.LEADING_ONLY, KeyScope.SESSION, KeySender.BOTH, "0", ResultFunction.MINIMUM, Irrelevance.NEVER),
                row("SessionType", KeyUse.LEADING_ONLY, KeyScope.SESSION, KeySender.INITIATOR, "Normal", ResultFunction.DECLARATIVE, Irrelevance.NEVER),
                row("TaskReporting", KeyUse.LEADING_ONLY, KeyScope.SESSION, KeySender.BOTH, "RFC3720", ResultFunction.LIST, Irrelevance.DISCOVERY_SESSION),
                row("iSCSIProtocolLevel", KeyUse.LEADING_ONLY, KeyScope.SESSION, KeySender.BOTH, "1", ResultFunction.MINIMUM, Irrelevance.DISCOVERY_SESSION),
                row("X#NodeArchitecture", KeyUse.LEADING_ONLY, KeyScope.SESSION, KeySender.BOTH, null, ResultFunction.DECLARATIVE, Irrelevance.NEVER),
                row("AuthMethod", KeyUse.SECURITY_NEGOTIATION, KeyScope.CONNECTION, KeySender.BOTH, "None", ResultFunction.AUTHENTICATION, Irrelevance.NEVER),
                row("CHAP_A", KeyUse.SECURITY_NEGOTIATION, KeyScope.CONNECTION, KeySender.BOTH, null, ResultFunction.AUTHENTICATION, Irrelevance.NEVER),
                row("CHAP_I", KeyUse.SECURITY_NEGOTIATION, KeyScope.CONNECTION, KeySender.BOTH, null, ResultFunction.AUTHENTICATION, Irrelevance.NEVER),
                row("CHAP_C", KeyUse.SECURITY_NEGOTIATION, KeyScope.CONNECTION, KeySender.BOTH, null, ResultFunction.AUTHENTICATION, Irrelevance.NEVER),
                row("CHAP_N", KeyUse.SECURITY_NEGOTIATION, KeyScope.CONNECTION, KeySender.BOTH, null, ResultFunction.AUTHENTICATION, Irrelevance.NEVER),
                row("CHAP_R", KeyUse.SECURITY_NEGOTIATION, KeyScope.CONNECTION, KeySender.BOTH, null, ResultFunction.AUTHENTICATION, Irrelevance.NEVER),
                row("IFMarker", KeyUse.INITIALIZE_ONLY, KeyScope.CONNECTION, KeySender.BOTH, "No", ResultFunction.OBSOLETE, Irrelevance.NEVER),
                row("OFMarker", KeyUse.INITIALIZE_ONLY, KeyScope.CONNECTION, KeySender.BOTH, "No", ResultFunction.OBSOLETE, Irrelevance.NEVER),
                row("IFMarkInt", KeyUse.INITIALIZE_ONLY, KeyScope.CONNECTION, KeySender.BOTH, "2048", ResultFunction.OBSOLETE, Irrelevance.NEVER),
                row("OFMarkInt", KeyUse.INITIALIZE_ONLY, KeyScope.CONNECTION, KeySender.BOTH, "2048", ResultFunction.OBSOLETE, Irrelevance.NEVER));
    }

    private static Arguments row(String name, KeyUse use, KeyScope scope, KeySender sender, String defaultValue,
                                 ResultFunction result, Irrelevance irrelevance) {
        return Arguments.of(name, use, scope, sender, defaultValue, result, irrelevance);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rfcKeys")
    void tableMatchesTheRfc(String name, KeyUse use, KeyScope scope, KeySender sender, String defaultValue,
                            ResultFunction result, Irrelevance irrelevance) {
        LoginKey key = LoginKey.byName(name).orElseThrow();

        assertThat(key.keyName()).isEqualTo(name);
        assertThat(key.use()).isEqualTo(use);
        assertThat(key.scope()).isEqualTo(scope);
        assertThat(key.sender()).isEqualTo(sender);
        assertThat(key.defaultValue()).isEqualTo(Optional.ofNullable(defaultValue));
        assertThat(key.result()).isEqualTo(result);
        assertThat(key.irrelevance()).isEqualTo(irrelevance);
        // Every negotiated key has a target side under the policy, as has the target's own declaration.
        assertThat(key.targetValue(TargetPolicy.defaults()).isPresent())
                .isEqualTo(result.isNegotiated() || key == LoginKey.MAX_RECV_DATA_SEGMENT_LENGTH);
        key.defaultValue().filter(v -> key.kind() != ValueKind.NUMERIC_RANGE)
                .ifPresent(v -> assertThat(key.isValid(v)).as("default of %s", name).isTrue());
    }

    @Test
    void theTableHoldsExactlyTheListedKeys() {
        assertThat(rfcKeys().map(a -> (String) a.get()[0]))
                .containsExactlyInAnyOrderElementsOf(Arrays.stream(LoginKey.values()).map(LoginKey::keyName).toList());
    }

    @Test
    void namesAreCaseSensitiveAndVendorKeysUnknown() {
        assertThat(LoginKey.byName("headerdigest")).isEmpty();
        assertThat(LoginKey.byName("X-com.example.Foo")).isEmpty();
        assertThat(LoginKey.byName("X#Other")).isEmpty();
        assertThat(LoginKey.byName("RDMAExtensions")).isEmpty();
    }

    @Test
    void valueRangesFollowTheRfc() {
        assertThat(LoginKey.MAX_BURST_LENGTH.isValid("512")).isTrue();
        assertThat(LoginKey.MAX_BURST_LENGTH.isValid("511")).isFalse();
        assertThat(LoginKey.MAX_BURST_LENGTH.isValid("16777215")).isTrue();
        assertThat(LoginKey.MAX_BURST_LENGTH.isValid("16777216")).isFalse();
        assertThat(LoginKey.DEFAULT_TIME2WAIT.isValid("3600")).isTrue();
        assertThat(LoginKey.DEFAULT_TIME2WAIT.isValid("3601")).isFalse();
        assertThat(LoginKey.ERROR_RECOVERY_LEVEL.isValid("3")).isFalse();
        assertThat(LoginKey.ISCSI_PROTOCOL_LEVEL.isValid("31")).isTrue();
        assertThat(LoginKey.ISCSI_PROTOCOL_LEVEL.isValid("32")).isFalse();
        assertThat(LoginKey.MAX_OUTSTANDING_R2T.isValid("0")).isFalse();
        assertThat(LoginKey.INITIATOR_NAME.isValid("i".repeat(223))).isTrue();
        assertThat(LoginKey.INITIATOR_NAME.isValid("i".repeat(224))).isFalse();
        assertThat(LoginKey.INITIATOR_NAME.isValid("")).isFalse();
        assertThat(LoginKey.CHAP_C.isValid("0x" + "ab".repeat(1024))).isTrue();
        assertThat(LoginKey.CHAP_C.isValid("0x" + "ab".repeat(1025))).isFalse();
        assertThat(LoginKey.INITIATOR_ALIAS.isValid("a".repeat(256))).isFalse();
    }
}
