package io.vhba.emulator.iscsi.login;

import static io.vhba.emulator.iscsi.login.LoginStatus.INITIATOR_ERROR;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Negotiation of the operational and declarative keys of one login (RFC 7143 §6.2, §13), driven by
 * the {@link LoginKey} table and the {@link TargetPolicy}. It answers the initiator's offers, makes
 * the target's own offers for keys whose default the target does not want, checks the initiator's
 * answers to them, and yields the negotiated parameters.
 */
final class KeyNegotiator {

    /** The answers a responder may give instead of a value (§6.2). */
    private static final Set<String> ANSWER_CONSTANTS = Set.of("Reject", "Irrelevant", "NotUnderstood");

    /** Declarations that identify the login; they may be repeated (libiscsi does) but never changed. */
    private static final Set<LoginKey> IDENTITY =
            EnumSet.of(LoginKey.INITIATOR_NAME, LoginKey.TARGET_NAME, LoginKey.SESSION_TYPE);

    private final TargetPolicy policy;
    private final boolean leading;
    private SessionType sessionType = SessionType.NORMAL;

    /** The agreed values of negotiated keys; a key absent here is at its default. */
    private final Map<LoginKey, String> results = new EnumMap<>(LoginKey.class);
    /** Keys already negotiated in this login (§6.3: no key is negotiated twice). */
    private final Set<LoginKey> negotiated = EnumSet.noneOf(LoginKey.class);
    /** The target's offers awaiting an answer in the initiator's next text. */
    private final Map<LoginKey, String> pendingOffers = new EnumMap<>(LoginKey.class);
    private final Set<LoginKey> offered = EnumSet.noneOf(LoginKey.class);
    /** The initiator's declarations. */
    private final Map<LoginKey, String> declarations = new EnumMap<>(LoginKey.class);
    private boolean targetLimitsDeclared;
    /** Where the FirstBurstLength answer sits in the current output, settled at the end of the text. */
    private int firstBurstAnswer = -1;

    KeyNegotiator(TargetPolicy policy, boolean leading) {
        this.policy = policy;
        this.leading = leading;
    }

    /** Fixes the session type, declared or defaulted in the first text, for the rest of the login. */
    void sessionType(SessionType type) {
        sessionType = type;
        declarations.putIfAbsent(LoginKey.SESSION_TYPE, type.value());
    }

    /**
     * Handles one key of the table that is neither an authentication nor an obsolete key.
     *
     * @throws LoginException for a key the initiator may not send here, a renegotiation, or an
     *                        illegal answer to an offer of the target
     */
    void negotiate(LoginKey key, String value, List<TextPair> out) {
        if (key.sender() == KeySender.TARGET) {
            throw new LoginException(INITIATOR_ERROR, key.keyName() + " is sent by targets only");
        }
        if (key.use() == KeyUse.FULL_FEATURE_ONLY) {
            throw new LoginException(INITIATOR_ERROR, key.keyName() + " is allowed in the full feature phase only");
        }
        if (key.use() == KeyUse.LEADING_ONLY && !leading && key.result().isNegotiated()) {
            throw new LoginException(INITIATOR_ERROR, key.keyName() + " is allowed in the leading login only");
        }
        String ours = pendingOffers.remove(key);
        if (ours != null) {
            takeAnswer(key, ours, value);
            return;
        }
        if (ANSWER_CONSTANTS.contains(value)) {
            throw new LoginException(INITIATOR_ERROR, "answer " + value + " to " + key.keyName()
                    + ", which the target did not offer");
        }
        if (key.result() == ResultFunction.DECLARATIVE) {
            declare(key, value, out);
            return;
        }
        if (!negotiated.add(key)) {
            throw new LoginException(INITIATOR_ERROR, key.keyName() + " negotiated twice in one login");
        }
        if (irrelevant(key)) {
            out.add(new TextPair(key.keyName(), "Irrelevant"));
            return;
        }
        Optional<String> answer = key.isValid(value)
                ? key.result().respond(value, key.targetValue(policy).orElseThrow())
                : Optional.empty();
        if (answer.isEmpty()) {
            // §6.2: an inadmissible value, or no common list value; the key keeps its default.
            out.add(new TextPair(key.keyName(), "Reject"));
            return;
        }
        if (key == LoginKey.FIRST_BURST_LENGTH) {
            firstBurstAnswer = out.size();
        }
        results.put(key, answer.get());
        out.add(new TextPair(key.keyName(), answer.get()));
    }

    /**
     * Closes one text of the initiator: offers it left unanswered keep their defaults, and the
     * FirstBurstLength answer is settled now that InitialR2T, ImmediateData and MaxBurstLength of the
     * same text are known, wherever they stood.
     */
    void endOfText(List<TextPair> out) {
        pendingOffers.clear();
        if (firstBurstAnswer < 0) {
            return;
        }
        int index = firstBurstAnswer;
        firstBurstAnswer = -1;
        String key = LoginKey.FIRST_BURST_LENGTH.keyName();
        if (noUnsolicitedData()) {
            results.remove(LoginKey.FIRST_BURST_LENGTH);
            out.set(index, new TextPair(key, "Irrelevant"));
        } else if (results.containsKey(LoginKey.MAX_BURST_LENGTH)) {
            // §13.14: FirstBurstLength must not exceed MaxBurstLength; a lower answer is still a Minimum.
            long capped = Math.min(number(LoginKey.FIRST_BURST_LENGTH), number(LoginKey.MAX_BURST_LENGTH));
            results.put(LoginKey.FIRST_BURST_LENGTH, Long.toString(capped));
            out.set(index, new TextPair(key, Long.toString(capped)));
        }
    }

    /** §13.12: the target declares its MaxRecvDataSegmentLength once per login, asked or not. */
    void declareTargetLimits(List<TextPair> out) {
        if (!targetLimitsDeclared) {
            out.add(new TextPair(LoginKey.MAX_RECV_DATA_SEGMENT_LENGTH.keyName(),
                    Integer.toString(policy.maxRecvDataSegmentLength())));
            targetLimitsDeclared = true;
        }
    }

    boolean targetLimitsDeclared() {
        return targetLimitsDeclared;
    }

    /**
     * Offers every key the initiator has not negotiated whose default the target does not want, e.g.
     * InitialR2T=No or MaxOutstandingR2T above 1 (§6.2); the initiator must answer them before the
     * stage can end.
     */
    void offer(List<TextPair> out) {
        for (LoginKey key : LoginKey.values()) {
            if (!key.result().isNegotiated() || negotiated.contains(key) || offered.contains(key)
                    || (key.use() == KeyUse.LEADING_ONLY && !leading) || irrelevant(key)) {
                continue;
            }
            String ours = offerValue(key);
            if (key.needsOffer(ours)) {
                pendingOffers.put(key, ours);
                offered.add(key);
                out.add(new TextPair(key.keyName(), ours));
            }
        }
    }

    boolean hasPendingOffers() {
        return !pendingOffers.isEmpty();
    }

    /** The initiator's declared MaxRecvDataSegmentLength, or the default 8192 (§13.12). */
    int initiatorMaxRecvDataSegmentLength() {
        return (int) ValueSyntax.parseNumber(declaration(LoginKey.MAX_RECV_DATA_SEGMENT_LENGTH)).orElseThrow();
    }

    Optional<String> declared(LoginKey key) {
        return Optional.ofNullable(declarations.get(key));
    }

    SessionParameters sessionParameters() {
        return new SessionParameters(
                (int) number(LoginKey.MAX_CONNECTIONS),
                bool(LoginKey.INITIAL_R2T),
                bool(LoginKey.IMMEDIATE_DATA),
                (int) number(LoginKey.MAX_BURST_LENGTH),
                (int) number(LoginKey.FIRST_BURST_LENGTH),
                (int) number(LoginKey.DEFAULT_TIME2WAIT),
                (int) number(LoginKey.DEFAULT_TIME2RETAIN),
                (int) number(LoginKey.MAX_OUTSTANDING_R2T),
                bool(LoginKey.DATA_PDU_IN_ORDER),
                bool(LoginKey.DATA_SEQUENCE_IN_ORDER),
                (int) number(LoginKey.ERROR_RECOVERY_LEVEL),
                TaskReporting.of(value(LoginKey.TASK_REPORTING)).orElseThrow(),
                (int) number(LoginKey.ISCSI_PROTOCOL_LEVEL));
    }

    ConnectionParameters connectionParameters() {
        return new ConnectionParameters(
                Digest.of(value(LoginKey.HEADER_DIGEST)).orElseThrow(),
                Digest.of(value(LoginKey.DATA_DIGEST)).orElseThrow(),
                initiatorMaxRecvDataSegmentLength(),
                policy.maxRecvDataSegmentLength());
    }

    private void declare(LoginKey key, String value, List<TextPair> out) {
        if (IDENTITY.contains(key)) {
            String established = declarations.putIfAbsent(key, value);
            if (established == null && !key.isValid(value)) {
                throw new LoginException(INITIATOR_ERROR, "malformed " + key.keyName());
            }
            if (established != null && !established.equals(value)) {
                throw new LoginException(INITIATOR_ERROR, key.keyName() + " changed during login");
            }
            return;
        }
        if (!key.isValid(value)) {
            out.add(new TextPair(key.keyName(), "Reject"));
            return;
        }
        declarations.put(key, value); // a later declaration replaces an earlier one
    }

    private void takeAnswer(LoginKey key, String ours, String answer) {
        negotiated.add(key);
        if (ANSWER_CONSTANTS.contains(answer)) {
            return; // §6.2: the key keeps its default
        }
        if (!key.isValid(answer) || !key.result().isLegalAnswer(ours, answer)) {
            throw new LoginException(INITIATOR_ERROR, "illegal answer to the target's offer of " + key.keyName());
        }
        results.put(key, answer);
    }

    private String offerValue(LoginKey key) {
        String ours = key.targetValue(policy).orElseThrow();
        if (key == LoginKey.FIRST_BURST_LENGTH) {
            long maxBurst = results.containsKey(LoginKey.MAX_BURST_LENGTH)
                    ? number(LoginKey.MAX_BURST_LENGTH)
                    : policy.maxBurstLength();
            return Long.toString(Math.min(policy.firstBurstLength(), maxBurst));
        }
        return ours;
    }

    private boolean irrelevant(LoginKey key) {
        return switch (key.irrelevance()) {
            case NEVER -> false;
            case DISCOVERY_SESSION -> sessionType == SessionType.DISCOVERY;
            case DISCOVERY_SESSION_OR_NO_UNSOLICITED_DATA ->
                    sessionType == SessionType.DISCOVERY || noUnsolicitedData();
        };
    }

    /** §13.14: InitialR2T=Yes with ImmediateData=No, both agreed in this login. */
    private boolean noUnsolicitedData() {
        return "Yes".equals(results.get(LoginKey.INITIAL_R2T)) && "No".equals(results.get(LoginKey.IMMEDIATE_DATA));
    }

    private String value(LoginKey key) {
        return results.getOrDefault(key, key.defaultValue().orElseThrow());
    }

    private String declaration(LoginKey key) {
        return declarations.getOrDefault(key, key.defaultValue().orElseThrow());
    }

    private long number(LoginKey key) {
        return ValueSyntax.parseNumber(value(key)).orElseThrow();
    }

    private boolean bool(LoginKey key) {
        return ValueSyntax.parseBoolean(value(key)).orElseThrow();
    }
}
