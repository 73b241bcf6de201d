package io.vhba.emulator.iscsi.login;

import static io.vhba.emulator.iscsi.login.LoginStatus.AUTHENTICATION_FAILURE;
import static io.vhba.emulator.iscsi.login.LoginStatus.INITIATOR_ERROR;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The security negotiation stage of one connection (RFC 7143 §12): AuthMethod, then CHAP (§12.1.3,
 * RFC 1994) with MD5, one-way or mutual.
 *
 * <pre>
 *   I: AuthMethod=CHAP,None           T: AuthMethod=CHAP
 *   I: CHAP_A=5                       T: CHAP_A=5 CHAP_I=&lt;I&gt; CHAP_C=&lt;C&gt;
 *   I: CHAP_N=&lt;N&gt; CHAP_R=&lt;R&gt;           (one-way)   T: (nothing)
 *      [CHAP_I=&lt;I'&gt; CHAP_C=&lt;C'&gt;]        (mutual)    T: CHAP_N=&lt;N'&gt; CHAP_R=&lt;R'&gt;
 * </pre>
 *
 * Every failure of the exchange is an authentication failure (0x0201): a wrong name or response, a
 * missing response, a key out of turn, a reflected challenge, a request to authenticate a target
 * that has no credentials.
 */
final class SecurityNegotiator {

    /** CHAP_A value of CHAP with MD5, the one algorithm required (§12.1.3, RFC 1994). */
    private static final long MD5_ALGORITHM = 5;
    /** RFC 1321: an MD5 digest, hence a CHAP_R with algorithm 5, is 16 bytes. */
    private static final int MD5_RESPONSE_BYTES = 16;
    /** The algorithms one CHAP_A may offer; RFC 7143 and its successors define a handful. */
    private static final int MAX_CHAP_ALGORITHMS = 16;

    private enum State { START, AWAIT_ALGORITHM, AWAIT_RESPONSE, DONE }

    private final AuthenticationPolicy policy;
    private final int challengeLength;
    private final SecureRandom random;
    private State state = State.START;
    private int identifier;
    private byte[] challenge;

    SecurityNegotiator(AuthenticationPolicy policy, int challengeLength, SecureRandom random) {
        this.policy = policy;
        this.challengeLength = challengeLength;
        this.random = random;
    }

    boolean requiresChap() {
        return policy instanceof AuthenticationPolicy.Chap;
    }

    /** Whether the initiator may leave the security stage: authenticated, or nothing to prove. */
    boolean authenticated() {
        return state == State.DONE || (state == State.START && !requiresChap());
    }

    /**
     * Handles the security keys of one text of the security stage.
     *
     * @param keys             the AuthMethod and CHAP_* pairs of the text
     * @param transitRequested the initiator's T bit
     * @param out              receives the target's answers
     */
    void negotiate(Map<LoginKey, String> keys, boolean transitRequested, List<TextPair> out) {
        Map<LoginKey, String> pending = new EnumMap<>(LoginKey.class);
        pending.putAll(keys);
        boolean advanced = false;
        String methods = pending.remove(LoginKey.AUTH_METHOD);
        if (methods != null) {
            if (state != State.START) {
                throw new LoginException(INITIATOR_ERROR, "AuthMethod negotiated twice");
            }
            chooseMethod(methods, out);
            advanced = true;
        } else if (state == State.START && requiresChap() && (transitRequested || !pending.isEmpty())) {
            throw new LoginException(AUTHENTICATION_FAILURE,
                    "the target requires CHAP and the initiator did not negotiate AuthMethod");
        }
        if (state == State.AWAIT_ALGORITHM) {
            String algorithms = pending.remove(LoginKey.CHAP_A);
            if (algorithms != null) {
                sendChallenge(algorithms, out);
            } else if (!advanced) {
                throw new LoginException(AUTHENTICATION_FAILURE, "CHAP_A expected after AuthMethod=CHAP");
            }
        } else if (state == State.AWAIT_RESPONSE && !advanced) {
            verify(pending, out);
        }
        if (!pending.isEmpty()) {
            throw new LoginException(AUTHENTICATION_FAILURE, "unexpected "
                    + pending.keySet().stream().map(LoginKey::keyName).collect(Collectors.joining(", "))
                    + " at this point of the authentication exchange");
        }
    }

    /**
     * AuthMethod offered outside the security stage, by an initiator that skipped it (jSCSI sends all
     * its keys in the operational stage). Answered None when the target requires no authentication.
     */
    void negotiateOutsideSecurityStage(String methods, List<TextPair> out) {
        if (state != State.START) {
            throw new LoginException(INITIATOR_ERROR, "AuthMethod negotiated twice");
        }
        if (requiresChap()) {
            throw new LoginException(AUTHENTICATION_FAILURE, "the target requires CHAP in the security stage");
        }
        chooseMethod(methods, out);
    }

    private void chooseMethod(String methods, List<TextPair> out) {
        String wanted = requiresChap() ? "CHAP" : "None";
        boolean offered = ValueSyntax.parseList(methods).map(list -> list.contains(wanted)).orElse(false);
        if (!offered) {
            throw new LoginException(AUTHENTICATION_FAILURE,
                    "the initiator did not offer AuthMethod " + wanted + ", which the target requires");
        }
        out.add(new TextPair(LoginKey.AUTH_METHOD.keyName(), wanted));
        state = requiresChap() ? State.AWAIT_ALGORITHM : State.DONE;
    }

    private void sendChallenge(String algorithms, List<TextPair> out) {
        // §12.1.3: CHAP_A is a list of algorithm numbers. A list that is not (or too long to parse) is
        // refused as a whole rather than searched for a 5.
        List<String> offered = LoginKey.CHAP_A.isValid(algorithms)
                ? ValueSyntax.parseList(algorithms).orElseThrow() : null;
        if (offered == null || offered.size() > MAX_CHAP_ALGORITHMS
                || !offered.stream().allMatch(a -> ValueSyntax.parseNumber(a).isPresent())) {
            throw new LoginException(AUTHENTICATION_FAILURE, "malformed CHAP_A (" + algorithms.length()
                    + " characters): a list of at most " + MAX_CHAP_ALGORITHMS + " algorithm numbers expected");
        }
        boolean md5 = offered.stream().anyMatch(a -> ValueSyntax.parseNumber(a).getAsLong() == MD5_ALGORITHM);
        if (!md5) {
            throw new LoginException(AUTHENTICATION_FAILURE, "CHAP_A does not offer algorithm 5 (MD5)");
        }
        identifier = random.nextInt(256);
        challenge = new byte[challengeLength];
        random.nextBytes(challenge);
        out.add(new TextPair(LoginKey.CHAP_A.keyName(), Long.toString(MD5_ALGORITHM)));
        out.add(new TextPair(LoginKey.CHAP_I.keyName(), Integer.toString(identifier)));
        out.add(new TextPair(LoginKey.CHAP_C.keyName(), ValueSyntax.hexValue(challenge)));
        state = State.AWAIT_RESPONSE;
    }

    private void verify(Map<LoginKey, String> pending, List<TextPair> out) {
        AuthenticationPolicy.Chap chap = (AuthenticationPolicy.Chap) policy;
        String name = pending.remove(LoginKey.CHAP_N);
        String response = pending.remove(LoginKey.CHAP_R);
        if (name == null || response == null) {
            throw new LoginException(AUTHENTICATION_FAILURE, "CHAP_N and CHAP_R expected after the challenge");
        }
        byte[] sentChallenge = challenge;
        challenge = null; // RFC 1994: a challenge is answered once
        // CVE-2018-14633 (LIO): an over-long CHAP_R was decoded into a digest-sized buffer. Here the
        // value is refused by its length before it is decoded, and an MD5 response is exactly 16 bytes.
        if (!LoginKey.CHAP_N.isValid(name)) {
            throw new LoginException(AUTHENTICATION_FAILURE, "malformed CHAP_N (" + name.length() + " characters)");
        }
        byte[] received = LoginKey.CHAP_R.isValid(response) ? ValueSyntax.parseBinary(response).orElseThrow() : null;
        if (received == null || received.length != MD5_RESPONSE_BYTES) {
            throw new LoginException(AUTHENTICATION_FAILURE, "malformed CHAP_R (" + response.length()
                    + " characters): an MD5 response is " + MD5_RESPONSE_BYTES + " bytes");
        }
        byte[] expected = chapResponse(identifier, chap.initiator().secret(), sentChallenge);
        boolean nameMatches = name.equals(chap.initiator().name());
        if (!(MessageDigest.isEqual(received, expected) & nameMatches)) {
            throw new LoginException(AUTHENTICATION_FAILURE, "wrong CHAP name or response from the initiator");
        }
        // §12.1.3: a response equal to the one the target would compute with its own secret means the
        // same secret serves both directions; that is an authentication failure.
        if (chap.target().isPresent()
                && MessageDigest.isEqual(received, chapResponse(identifier, chap.target().get().secret(), sentChallenge))) {
            throw new LoginException(AUTHENTICATION_FAILURE, "the initiator answered with the target's secret");
        }
        String initiatorIdentifier = pending.remove(LoginKey.CHAP_I);
        String initiatorChallenge = pending.remove(LoginKey.CHAP_C);
        if (initiatorIdentifier != null || initiatorChallenge != null) {
            answerInitiatorChallenge(chap, initiatorIdentifier, initiatorChallenge, sentChallenge, out);
        }
        state = State.DONE;
    }

    private static void answerInitiatorChallenge(AuthenticationPolicy.Chap chap, String identifierValue,
                                                 String challengeValue, byte[] ourChallenge, List<TextPair> out) {
        if (identifierValue == null || challengeValue == null) {
            throw new LoginException(AUTHENTICATION_FAILURE, "mutual CHAP needs both CHAP_I and CHAP_C");
        }
        ChapCredentials target = chap.target().orElseThrow(() -> new LoginException(AUTHENTICATION_FAILURE,
                "the initiator asked to authenticate the target, which has no CHAP credentials"));
        // CHAP_I is 0-255 and CHAP_C 1-1024 bytes (§12.1.3); both are checked by length before parsing.
        if (!LoginKey.CHAP_I.isValid(identifierValue) || !LoginKey.CHAP_C.isValid(challengeValue)) {
            throw new LoginException(AUTHENTICATION_FAILURE, "malformed CHAP_I or CHAP_C from the initiator ("
                    + identifierValue.length() + " and " + challengeValue.length() + " characters)");
        }
        byte[] theirChallenge = ValueSyntax.parseBinary(challengeValue).orElseThrow();
        // §12.1.3: the originator must not reuse the responder's challenge; the responder checks.
        if (Arrays.equals(theirChallenge, ourChallenge)) {
            throw new LoginException(AUTHENTICATION_FAILURE, "the initiator reflected the target's CHAP challenge");
        }
        int theirIdentifier = (int) ValueSyntax.parseNumber(identifierValue).orElseThrow();
        out.add(new TextPair(LoginKey.CHAP_N.keyName(), target.name()));
        out.add(new TextPair(LoginKey.CHAP_R.keyName(),
                ValueSyntax.hexValue(chapResponse(theirIdentifier, target.secret(), theirChallenge))));
    }

    /** RFC 1994 §4.1: MD5 over the identifier octet, the secret and the challenge. */
    static byte[] chapResponse(int identifier, ChapSecret secret, byte[] challenge) {
        try {
            MessageDigest md5 = MessageDigest.getInstance("MD5");
            md5.update((byte) identifier);
            secret.update(md5);
            md5.update(challenge);
            return md5.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform provides MD5", e);
        }
    }
}
