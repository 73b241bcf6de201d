package io.vhba.emulator.iscsi.login;

import static io.vhba.emulator.iscsi.login.Irrelevance.DISCOVERY_SESSION;
import static io.vhba.emulator.iscsi.login.Irrelevance.DISCOVERY_SESSION_OR_NO_UNSOLICITED_DATA;
import static io.vhba.emulator.iscsi.login.Irrelevance.NEVER;
import static io.vhba.emulator.iscsi.login.KeyScope.CONNECTION;
import static io.vhba.emulator.iscsi.login.KeyScope.SESSION;
import static io.vhba.emulator.iscsi.login.KeySender.BOTH;
import static io.vhba.emulator.iscsi.login.KeySender.INITIATOR;
import static io.vhba.emulator.iscsi.login.KeySender.TARGET;
import static io.vhba.emulator.iscsi.login.KeyUse.ALL;
import static io.vhba.emulator.iscsi.login.KeyUse.FULL_FEATURE_ONLY;
import static io.vhba.emulator.iscsi.login.KeyUse.INITIALIZE_ONLY;
import static io.vhba.emulator.iscsi.login.KeyUse.LEADING_ONLY;
import static io.vhba.emulator.iscsi.login.KeyUse.SECURITY_NEGOTIATION;
import static io.vhba.emulator.iscsi.login.ResultFunction.AND;
import static io.vhba.emulator.iscsi.login.ResultFunction.AUTHENTICATION;
import static io.vhba.emulator.iscsi.login.ResultFunction.DECLARATIVE;
import static io.vhba.emulator.iscsi.login.ResultFunction.MAXIMUM;
import static io.vhba.emulator.iscsi.login.ResultFunction.MINIMUM;
import static io.vhba.emulator.iscsi.login.ResultFunction.OBSOLETE;
import static io.vhba.emulator.iscsi.login.ResultFunction.OR;
import static io.vhba.emulator.iscsi.login.ResultFunction.REQUEST;
import static io.vhba.emulator.iscsi.login.TargetPolicy.MAX_DATA_LENGTH;
import static io.vhba.emulator.iscsi.login.TargetPolicy.MIN_DATA_LENGTH;
import static io.vhba.emulator.iscsi.login.ValueKind.BINARY;
import static io.vhba.emulator.iscsi.login.ValueKind.BOOLEAN;
import static io.vhba.emulator.iscsi.login.ValueKind.LIST;
import static io.vhba.emulator.iscsi.login.ValueKind.NAME;
import static io.vhba.emulator.iscsi.login.ValueKind.NUMBER;
import static io.vhba.emulator.iscsi.login.ValueKind.NUMERIC_RANGE;
import static io.vhba.emulator.iscsi.login.ValueKind.TEXT;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Every text key of RFC 7143 §12 (the AuthMethod and CHAP keys used here) and §13, the obsoleted
 * marker keys (§13.25) and the keys RFC 7144 relies on (TaskReporting §13.23, iSCSIProtocolLevel
 * §13.24): when each may be sent, its scope, its value syntax, its default and its result function.
 * Keys missing from this table, X- and X# vendor keys included, are answered "NotUnderstood".
 */
public enum LoginKey {
    // name, use, scope, senders, value kind, min, max (numbers: value; binary: byte length), default,
    // result function, irrelevant when, the target's value under its policy
    HEADER_DIGEST("HeaderDigest", INITIALIZE_ONLY, CONNECTION, BOTH, LIST, 0, 0, "None", ResultFunction.LIST, NEVER,
            p -> Digest.list(p.headerDigests())),
    DATA_DIGEST("DataDigest", INITIALIZE_ONLY, CONNECTION, BOTH, LIST, 0, 0, "None", ResultFunction.LIST, NEVER,
            p -> Digest.list(p.dataDigests())),
    MAX_CONNECTIONS("MaxConnections", LEADING_ONLY, SESSION, BOTH, NUMBER, 1, 65535, "1", MINIMUM, DISCOVERY_SESSION,
            p -> Integer.toString(p.maxConnections())),
    SEND_TARGETS("SendTargets", FULL_FEATURE_ONLY, SESSION, INITIATOR, TEXT, 0, 0, null, REQUEST, NEVER, null),
    TARGET_NAME("TargetName", INITIALIZE_ONLY, SESSION, INITIATOR, NAME, 0, 0, null, DECLARATIVE, NEVER, null),
    INITIATOR_NAME("InitiatorName", INITIALIZE_ONLY, SESSION, INITIATOR, NAME, 0, 0, null, DECLARATIVE, NEVER, null),
    TARGET_ALIAS("TargetAlias", ALL, SESSION, TARGET, TEXT, 0, 0, null, DECLARATIVE, NEVER, null),
    INITIATOR_ALIAS("InitiatorAlias", ALL, SESSION, INITIATOR, TEXT, 0, 0, null, DECLARATIVE, NEVER, null),
    TARGET_ADDRESS("TargetAddress", ALL, SESSION, TARGET, TEXT, 0, 0, null, DECLARATIVE, NEVER, null),
    TARGET_PORTAL_GROUP_TAG("TargetPortalGroupTag", INITIALIZE_ONLY, SESSION, TARGET, NUMBER, 0, 65535, null,
            DECLARATIVE, NEVER, null),
    INITIAL_R2T("InitialR2T", LEADING_ONLY, SESSION, BOTH, BOOLEAN, 0, 0, "Yes", OR, DISCOVERY_SESSION,
            p -> ValueSyntax.booleanValue(p.initialR2T())),
    IMMEDIATE_DATA("ImmediateData", LEADING_ONLY, SESSION, BOTH, BOOLEAN, 0, 0, "Yes", AND, DISCOVERY_SESSION,
            p -> ValueSyntax.booleanValue(p.immediateData())),
    MAX_RECV_DATA_SEGMENT_LENGTH("MaxRecvDataSegmentLength", ALL, CONNECTION, BOTH, NUMBER, MIN_DATA_LENGTH,
            MAX_DATA_LENGTH, "8192", DECLARATIVE, NEVER, p -> Integer.toString(p.maxRecvDataSegmentLength())),
    MAX_BURST_LENGTH("MaxBurstLength", LEADING_ONLY, SESSION, BOTH, NUMBER, MIN_DATA_LENGTH, MAX_DATA_LENGTH,
            "262144", MINIMUM, DISCOVERY_SESSION, p -> Integer.toString(p.maxBurstLength())),
    FIRST_BURST_LENGTH("FirstBurstLength", LEADING_ONLY, SESSION, BOTH, NUMBER, MIN_DATA_LENGTH, MAX_DATA_LENGTH,
            "65536", MINIMUM, DISCOVERY_SESSION_OR_NO_UNSOLICITED_DATA, p -> Integer.toString(p.firstBurstLength())),
    DEFAULT_TIME2WAIT("DefaultTime2Wait", LEADING_ONLY, SESSION, BOTH, NUMBER, 0, 3600, "2", MAXIMUM, NEVER,
            p -> Integer.toString(p.defaultTime2Wait())),
    DEFAULT_TIME2RETAIN("DefaultTime2Retain", LEADING_ONLY, SESSION, BOTH, NUMBER, 0, 3600, "20", MINIMUM, NEVER,
            p -> Integer.toString(p.defaultTime2Retain())),
    MAX_OUTSTANDING_R2T("MaxOutstandingR2T", LEADING_ONLY, SESSION, BOTH, NUMBER, 1, 65535, "1", MINIMUM,
            DISCOVERY_SESSION, p -> Integer.toString(p.maxOutstandingR2T())),
    DATA_PDU_IN_ORDER("DataPDUInOrder", LEADING_ONLY, SESSION, BOTH, BOOLEAN, 0, 0, "Yes", OR, DISCOVERY_SESSION,
            p -> ValueSyntax.booleanValue(p.dataPduInOrder())),
    DATA_SEQUENCE_IN_ORDER("DataSequenceInOrder", LEADING_ONLY, SESSION, BOTH, BOOLEAN, 0, 0, "Yes", OR,
            DISCOVERY_SESSION, p -> ValueSyntax.booleanValue(p.dataSequenceInOrder())),
    ERROR_RECOVERY_LEVEL("ErrorRecoveryLevel", LEADING_ONLY, SESSION, BOTH, NUMBER, 0, 2, "0", MINIMUM, NEVER,
            p -> Integer.toString(p.errorRecoveryLevel())),
    SESSION_TYPE("SessionType", LEADING_ONLY, SESSION, INITIATOR, TEXT, 0, 0, "Normal", DECLARATIVE, NEVER, null),
    TASK_REPORTING("TaskReporting", LEADING_ONLY, SESSION, BOTH, LIST, 0, 0, "RFC3720", ResultFunction.LIST,
            DISCOVERY_SESSION, p -> TaskReporting.list(p.taskReporting())),
    ISCSI_PROTOCOL_LEVEL("iSCSIProtocolLevel", LEADING_ONLY, SESSION, BOTH, NUMBER, 0, 31, "1", MINIMUM,
            DISCOVERY_SESSION, p -> Integer.toString(p.iscsiProtocolLevel())),
    /** §13.26: informational; node behaviour must not depend on it. */
    NODE_ARCHITECTURE("X#NodeArchitecture", LEADING_ONLY, SESSION, BOTH, LIST, 0, 0, null, DECLARATIVE, NEVER, null),
    /** §12: with no security stage no authentication takes place, hence the default None. */
    AUTH_METHOD("AuthMethod", SECURITY_NEGOTIATION, CONNECTION, BOTH, LIST, 0, 0, "None", AUTHENTICATION, NEVER,
            null),
    CHAP_A("CHAP_A", SECURITY_NEGOTIATION, CONNECTION, BOTH, LIST, 0, 0, null, AUTHENTICATION, NEVER, null),
    CHAP_I("CHAP_I", SECURITY_NEGOTIATION, CONNECTION, BOTH, NUMBER, 0, 255, null, AUTHENTICATION, NEVER, null),
    CHAP_C("CHAP_C", SECURITY_NEGOTIATION, CONNECTION, BOTH, BINARY, 1, 1024, null, AUTHENTICATION, NEVER, null),
    CHAP_N("CHAP_N", SECURITY_NEGOTIATION, CONNECTION, BOTH, TEXT, 0, 0, null, AUTHENTICATION, NEVER, null),
    CHAP_R("CHAP_R", SECURITY_NEGOTIATION, CONNECTION, BOTH, BINARY, 1, 1024, null, AUTHENTICATION, NEVER, null),
    /** §13.25: obsolete; answered Reject, never NotUnderstood. RFC 3720 default No. */
    IF_MARKER("IFMarker", INITIALIZE_ONLY, CONNECTION, BOTH, BOOLEAN, 0, 0, "No", OBSOLETE, NEVER, null),
    OF_MARKER("OFMarker", INITIALIZE_ONLY, CONNECTION, BOTH, BOOLEAN, 0, 0, "No", OBSOLETE, NEVER, null),
    /** §13.25: obsolete; MUST be answered Reject. RFC 3720 default 2048. */
    IF_MARK_INT("IFMarkInt", INITIALIZE_ONLY, CONNECTION, BOTH, NUMERIC_RANGE, 1, 65535, "2048", OBSOLETE, NEVER,
            null),
    OF_MARK_INT("OFMarkInt", INITIALIZE_ONLY, CONNECTION, BOTH, NUMERIC_RANGE, 1, 65535, "2048", OBSOLETE, NEVER,
            null);

    /** §4.2.7: an iSCSI name is at most 223 bytes. */
    private static final int MAX_NAME_BYTES = 223;

    private static final Map<String, LoginKey> BY_NAME =
            Arrays.stream(values()).collect(Collectors.toUnmodifiableMap(LoginKey::keyName, Function.identity()));

    private final String keyName;
    private final KeyUse use;
    private final KeyScope scope;
    private final KeySender sender;
    private final ValueKind kind;
    private final long min;
    private final long max;
    private final String defaultValue;
    private final ResultFunction result;
    private final Irrelevance irrelevance;
    private final Function<TargetPolicy, String> targetValue;

    LoginKey(String keyName, KeyUse use, KeyScope scope, KeySender sender, ValueKind kind, long min, long max,
             String defaultValue, ResultFunction result, Irrelevance irrelevance,
             Function<TargetPolicy, String> targetValue) {
        this.keyName = keyName;
        this.use = use;
        this.scope = scope;
        this.sender = sender;
        this.kind = kind;
        this.min = min;
        this.max = max;
        this.defaultValue = defaultValue;
        this.result = result;
        this.irrelevance = irrelevance;
        this.targetValue = targetValue;
    }

    /** The key of a name, case-sensitive (§6.1); empty for keys this table does not hold. */
    public static Optional<LoginKey> byName(String name) {
        return Optional.ofNullable(BY_NAME.get(name));
    }

    /** The key name on the wire. */
    public String keyName() {
        return keyName;
    }

    public KeyUse use() {
        return use;
    }

    public KeyScope scope() {
        return scope;
    }

    public KeySender sender() {
        return sender;
    }

    public ValueKind kind() {
        return kind;
    }

    public ResultFunction result() {
        return result;
    }

    public Irrelevance irrelevance() {
        return irrelevance;
    }

    /** The RFC default, in effect when the key is never negotiated; empty when the RFC gives none. */
    public Optional<String> defaultValue() {
        return Optional.ofNullable(defaultValue);
    }

    /** The target's side of the result function under {@code policy}; empty for keys it does not negotiate. */
    public Optional<String> targetValue(TargetPolicy policy) {
        return targetValue == null ? Optional.empty() : Optional.of(targetValue.apply(policy));
    }

    /** True when {@code value} has this key's syntax and lies in its range (§6.1, §13). */
    public boolean isValid(String value) {
        // Length first: a value's string length bounds its UTF-8 length from below, so this is cheap.
        if (value.length() > kind.maxValueBytes()
                || value.getBytes(StandardCharsets.UTF_8).length > kind.maxValueBytes()) {
            return false;
        }
        return switch (kind) {
            case BOOLEAN -> ValueSyntax.parseBoolean(value).isPresent();
            case NUMBER -> ValueSyntax.parseNumber(value).stream().anyMatch(n -> n >= min && n <= max);
            case LIST -> ValueSyntax.parseList(value).isPresent();
            case TEXT -> ValueSyntax.isSimpleValueLength(value);
            case NAME -> !value.isEmpty() && value.getBytes(StandardCharsets.UTF_8).length <= MAX_NAME_BYTES;
            case BINARY -> ValueSyntax.parseBinary(value).map(b -> b.length >= min && b.length <= max).orElse(false);
            case NUMERIC_RANGE -> true;
        };
    }

    /**
     * True when the target's value would change the outcome from the default, so the target must
     * offer the key itself if the initiator does not (§6.2: a default not wanted has to be negotiated).
     */
    boolean needsOffer(String ours) {
        if (defaultValue == null) {
            return false;
        }
        return switch (kind) {
            case LIST -> !ValueSyntax.parseList(ours).orElseThrow().contains(defaultValue);
            case NUMBER -> ValueSyntax.parseNumber(ours).orElseThrow() != ValueSyntax.parseNumber(defaultValue).orElseThrow();
            default -> !ours.equals(defaultValue);
        };
    }
}
