package io.vhba.emulator.iscsi.login;

import io.vhba.emulator.limits.Limit;
import static io.vhba.emulator.iscsi.login.LoginStage.FULL_FEATURE_PHASE;
import static io.vhba.emulator.iscsi.login.LoginStage.LOGIN_OPERATIONAL_NEGOTIATION;
import static io.vhba.emulator.iscsi.login.LoginStage.SECURITY_NEGOTIATION;
import static io.vhba.emulator.iscsi.login.LoginStatus.INITIATOR_ERROR;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.vhba.emulator.iscsi.pdu.InitiatorPdu;
import io.vhba.emulator.iscsi.pdu.LoginRequest;
import io.vhba.emulator.iscsi.pdu.LoginResponse;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The login of one connection (RFC 7143 §6.3, §11.12-11.13), without I/O: each Login Request gives
 * the Login Response to send and what follows, continue, complete or fail.
 *
 * <ul>
 *   <li>Stages: security (0), operational (1), full feature (3). The first request may start in
 *       either login stage; stages may be skipped but never revisited; a transit needs T=1 from the
 *       initiator and the target's readiness (authenticated, its offers answered).</li>
 *   <li>Text: requests with C=1 are joined (answered by empty responses); a long answer goes out in
 *       pieces with C=1, each fetched by an empty request (§6.1).</li>
 *   <li>The first text must hold InitiatorName; a normal session also TargetName, resolved through
 *       {@link TargetResolver}; its first response carries TargetPortalGroupTag (§13.9).</li>
 *   <li>ISID, TSIH, ITT, CID, CmdSN and the version range stay fixed across the login.</li>
 *   <li>TSIH is 0 until the final response, where the {@link SessionBinder} assigns it.</li>
 * </ul>
 *
 * Not thread-safe: one instance per connection, driven from the connection's event loop.
 */
public final class LoginStateMachine {

    private static final Logger LOG = LoggerFactory.getLogger(LoginStateMachine.class);

    /** §13.12: the initiator accepts 8192 bytes before it declares otherwise; login text stays within it. */
    private static final int LOGIN_SEGMENT_LENGTH = 8192;

    /** The only iSCSI version, 0x00 (§11.12.4). */
    private static final int VERSION = 0;

    private static final LoginOutcome CONTINUE = new LoginOutcome.Continue();

    private final TargetPolicy policy;
    private final TargetResolver targets;
    private final LoginSequenceNumbers numbers;
    private final SessionBinder sessions;
    private final SecureRandom random;

    private final TextReassembler reassembler;
    private Limit limitReached;
    /** Pairs received in this login so far, against {@link TextLimits#maxPairsPerLogin()}. */
    private int pairsReceived;
    private final Deque<byte[]> pendingOutput = new ArrayDeque<>();
    private LoginRequest first;
    private LoginStage stage;
    private KeyNegotiator negotiator;
    private SecurityNegotiator security;
    private SessionType sessionType;
    private String initiatorName;
    private Optional<String> targetName = Optional.empty();
    private boolean finished;

    public LoginStateMachine(TargetPolicy policy, TargetResolver targets, LoginSequenceNumbers numbers,
                             SessionBinder sessions) {
        this(policy, targets, numbers, sessions, new SecureRandom());
    }

    /** As the main constructor, with the source of CHAP identifiers and challenges. */
    public LoginStateMachine(TargetPolicy policy, TargetResolver targets, LoginSequenceNumbers numbers,
                             SessionBinder sessions, SecureRandom random) {
        this.policy = Objects.requireNonNull(policy, "policy");
        this.targets = Objects.requireNonNull(targets, "targets");
        this.numbers = Objects.requireNonNull(numbers, "numbers");
        this.sessions = Objects.requireNonNull(sessions, "sessions");
        this.random = Objects.requireNonNull(random, "random");
        this.reassembler = new TextReassembler(policy.textLimits().maxTextBytes());
    }

    /** The text limit ({@link TextLimits}) whose breach failed this login, if one did: the transport counts it. */
    public Optional<Limit> limitReached() {
        return Optional.ofNullable(limitReached);
    }

    /** True once a response completed or failed the login; no further request is accepted. */
    public boolean finished() {
        return finished;
    }

    /**
     * Handles one Login Request. The request is consumed: its data buffer is released.
     *
     * @throws IllegalStateException if the login already completed or failed
     */
    public LoginStep onRequest(LoginRequest request) {
        if (finished) {
            request.release();
            throw new IllegalStateException("the login of this connection is over");
        }
        try {
            return step(request);
        } catch (LoginException e) {
            return fail(request, e.status(), e.getMessage());
        } catch (TextFormatException e) {
            if (e.reason() == TextFormatException.Reason.TOO_MANY_KEYS) {
                limitReached = Limit.TEXT_PAIRS;
            } else if (e.reason() == TextFormatException.Reason.TEXT_TOO_LONG) {
                limitReached = Limit.TEXT_BYTES;
            }
            return fail(request, INITIATOR_ERROR, e.getMessage());
        } finally {
            request.release();
        }
    }

    /**
     * Handles a PDU other than a Login Request arriving before the login completed: the login fails
     * with "invalid request during login" (0x020b, §11.13.5). The PDU is consumed.
     */
    public LoginStep onNonLoginPdu(InitiatorPdu pdu) {
        if (finished) {
            pdu.release();
            throw new IllegalStateException("the login of this connection is over");
        }
        String reason = pdu.opcode() + " during login";
        int itt = first != null ? first.itt() : pdu.itt();
        pdu.release();
        finished = true;
        LoginRequest login = first;
        int cmdSN = login != null ? login.cmdSN() : 0;
        LoginResponse response = new LoginResponse(false, false, stage != null ? stage.code() : 0, 0, VERSION,
                VERSION, login != null ? login.isid() : 0, login != null ? login.tsih() : 0, itt,
                numbers.nextStatSN(), numbers.expCmdSN(cmdSN), numbers.maxCmdSN(cmdSN),
                LoginStatus.INVALID_REQUEST_DURING_LOGIN.statusClass(),
                LoginStatus.INVALID_REQUEST_DURING_LOGIN.statusDetail(), Unpooled.EMPTY_BUFFER);
        LOG.info("login of {} failed: {}", initiatorName, reason);
        return new LoginStep(response, new LoginOutcome.Fail(LoginStatus.INVALID_REQUEST_DURING_LOGIN, reason));
    }

    private LoginStep step(LoginRequest request) {
        checkHeader(request);
        if (!pendingOutput.isEmpty()) {
            // §6.1: a response with C=1 is answered by an empty request fetching the next piece.
            if (request.cont() || request.data().isReadable()) {
                throw new LoginException(INITIATOR_ERROR, "text sent while the target's text continues");
            }
            return emit(request);
        }
        Optional<byte[]> text = reassembler.append(request.data(), request.cont());
        if (text.isEmpty()) {
            // §6.1: a request with C=1 is answered by an empty response.
            return new LoginStep(response(request, false, false, 0, request.tsih(), new byte[0]), CONTINUE);
        }
        List<TextPair> pairs = TextCodec.decode(text.get(), policy.textLimits().maxPairsPerText());
        pairsReceived += pairs.size();
        if (pairsReceived > policy.textLimits().maxPairsPerLogin()) {
            limitReached = Limit.LOGIN_PAIRS;
            throw new LoginException(INITIATOR_ERROR, "more than " + policy.textLimits().maxPairsPerLogin()
                    + " key=value pairs in one login");
        }
        byte[] answer = process(request, pairs);
        int segmentLength = Math.min(LOGIN_SEGMENT_LENGTH, negotiator.initiatorMaxRecvDataSegmentLength());
        pendingOutput.addAll(TextSegmenter.split(answer, segmentLength));
        return emit(request);
    }

    private void checkHeader(LoginRequest request) {
        if (first == null) {
            // §11.12.4: the target's only version, 0, must lie within [Version-min, Version-max].
            if (request.versionMin() > VERSION || request.versionMax() < VERSION) {
                throw new LoginException(LoginStatus.UNSUPPORTED_VERSION, "version range " + request.versionMin()
                        + ".." + request.versionMax() + " excludes version 0");
            }
        } else if (request.isid() != first.isid() || request.tsih() != first.tsih() || request.itt() != first.itt()
                || request.cid() != first.cid() || request.cmdSN() != first.cmdSN()
                || request.versionMax() != first.versionMax() || request.versionMin() != first.versionMin()) {
            throw new LoginException(INITIATOR_ERROR,
                    "ISID, TSIH, ITT, CID, CmdSN or version range changed during login");
        }
        LoginStage current = LoginStage.of(request.csg()).filter(s -> s != FULL_FEATURE_PHASE).orElseThrow(
                () -> new LoginException(INITIATOR_ERROR, "CSG " + request.csg() + " is not a login stage"));
        if (stage != null && current != stage) {
            throw new LoginException(INITIATOR_ERROR, "CSG " + current.code() + " while the login is in stage "
                    + stage.code());
        }
        if (request.cont() && request.transit()) {
            throw new LoginException(INITIATOR_ERROR, "C and T both set (§11.12.2)");
        }
        if (request.transit()) {
            LoginStage next = LoginStage.of(request.nsg()).orElseThrow(
                    () -> new LoginException(INITIATOR_ERROR, "NSG " + request.nsg() + " is reserved"));
            if (next.code() <= current.code()) {
                throw new LoginException(INITIATOR_ERROR, "NSG " + next.code() + " does not follow CSG "
                        + current.code());
            }
        }
        if (first == null) {
            first = request;
            stage = current;
        }
    }

    /** Answers one complete text of the initiator. */
    private byte[] process(LoginRequest request, List<TextPair> pairs) {
        List<TextPair> out = new ArrayList<>();
        if (negotiator == null) {
            establish(request, pairs, out);
        }
        Map<LoginKey, String> securityKeys = new EnumMap<>(LoginKey.class);
        for (TextPair pair : pairs) {
            Optional<LoginKey> known = LoginKey.byName(pair.key());
            if (known.isEmpty()) {
                out.add(new TextPair(pair.key(), "NotUnderstood"));
                continue;
            }
            LoginKey key = known.get();
            switch (key.result()) {
                case OBSOLETE -> out.add(new TextPair(key.keyName(), "Reject"));
                case AUTHENTICATION -> authenticationKey(key, pair.value(), securityKeys, out);
                default -> negotiator.negotiate(key, pair.value(), out);
            }
        }
        if (stage == SECURITY_NEGOTIATION) {
            security.negotiate(securityKeys, request.transit(), out);
        }
        negotiator.endOfText(out);
        if (stage == LOGIN_OPERATIONAL_NEGOTIATION) {
            negotiator.declareTargetLimits(out);
            negotiator.offer(out);
        } else if (request.transit() && request.nsg() == FULL_FEATURE_PHASE.code() && security.authenticated()) {
            // The initiator skips the operational stage: declare in the final response.
            negotiator.declareTargetLimits(out);
        }
        return TextCodec.encode(out);
    }

    /** The first text: who logs in, to what, and what the target demands (§6.3, §13.4-13.5, §13.21). */
    private void establish(LoginRequest request, List<TextPair> pairs, List<TextPair> out) {
        Map<String, String> values = new HashMap<>();
        pairs.forEach(pair -> values.put(pair.key(), pair.value()));
        String name = values.get(LoginKey.INITIATOR_NAME.keyName());
        if (name == null) {
            throw new LoginException(LoginStatus.MISSING_PARAMETER, "InitiatorName missing from the first login text");
        }
        if (!LoginKey.INITIATOR_NAME.isValid(name)) {
            throw new LoginException(INITIATOR_ERROR, "malformed InitiatorName");
        }
        initiatorName = name; // for the log line of a login that fails below
        String type = values.getOrDefault(LoginKey.SESSION_TYPE.keyName(), SessionType.NORMAL.value());
        SessionType session = SessionType.of(type).orElseThrow(
                () -> new LoginException(LoginStatus.SESSION_TYPE_NOT_SUPPORTED, "unknown SessionType"));
        AuthenticationPolicy authentication;
        if (session == SessionType.NORMAL) {
            String target = values.get(LoginKey.TARGET_NAME.keyName());
            if (target == null) {
                throw new LoginException(LoginStatus.MISSING_PARAMETER, "TargetName missing from a normal session");
            }
            if (!LoginKey.TARGET_NAME.isValid(target)) {
                throw new LoginException(INITIATOR_ERROR, "malformed TargetName");
            }
            TargetDescriptor descriptor = targets.resolve(target, name).orElseThrow(
                    () -> new LoginException(LoginStatus.NOT_FOUND, "no target " + target + " at this portal"));
            if (!descriptor.authorized()) {
                // §11.13.5: "the initiator is not allowed access to the given target" (LIO checks its node ACLs here too)
                throw new LoginException(LoginStatus.AUTHORIZATION_FAILURE, name + " is not on the access list of " + target);
            }
            authentication = descriptor.authentication();
            // §13.9: the portal group tag goes in the response to the first request with C=0.
            out.add(new TextPair(LoginKey.TARGET_PORTAL_GROUP_TAG.keyName(),
                    Integer.toString(descriptor.portalGroupTag())));
            // §13.6: a configured alias SHOULD be sent to normal sessions.
            descriptor.alias().ifPresent(alias -> out.add(new TextPair(LoginKey.TARGET_ALIAS.keyName(), alias)));
            targetName = Optional.of(target);
        } else {
            authentication = targets.discoveryAuthentication(name);
        }
        SecurityNegotiator securityNegotiator =
                new SecurityNegotiator(authentication, policy.chapChallengeLength(), random);
        if (stage == LOGIN_OPERATIONAL_NEGOTIATION && securityNegotiator.requiresChap()) {
            throw new LoginException(LoginStatus.AUTHENTICATION_FAILURE,
                    "the target requires CHAP and the initiator skipped the security stage");
        }
        KeyNegotiator keys = new KeyNegotiator(policy, request.tsih() == 0);
        keys.sessionType(session);
        initiatorName = name;
        sessionType = session;
        security = securityNegotiator;
        negotiator = keys;
    }

    private void authenticationKey(LoginKey key, String value, Map<LoginKey, String> securityKeys,
                                   List<TextPair> out) {
        if (stage == SECURITY_NEGOTIATION) {
            securityKeys.put(key, value);
        } else if (key == LoginKey.AUTH_METHOD) {
            security.negotiateOutsideSecurityStage(value, out);
        } else {
            throw new LoginException(INITIATOR_ERROR, key.keyName() + " outside the security negotiation stage");
        }
    }

    /** Sends the next piece of the target's text, with the transit decision on the last one. */
    private LoginStep emit(LoginRequest request) {
        byte[] piece = pendingOutput.removeFirst();
        if (!pendingOutput.isEmpty()) {
            // §11.13.2: a response with C=1 has T=0.
            return new LoginStep(response(request, false, true, 0, request.tsih(), piece), CONTINUE);
        }
        if (request.transit() && readyFor(request.nsg())) {
            LoginStage next = LoginStage.of(request.nsg()).orElseThrow();
            if (next == FULL_FEATURE_PHASE) {
                return complete(request, piece);
            }
            LoginResponse response = response(request, true, false, next.code(), request.tsih(), piece);
            stage = next;
            return new LoginStep(response, CONTINUE);
        }
        return new LoginStep(response(request, false, false, 0, request.tsih(), piece), CONTINUE);
    }

    /**
     * Whether the target may answer T=1: authenticated when leaving security, none of its offers
     * pending (§11.13.1: a T=1 response must not need answers within the stage), and its
     * MaxRecvDataSegmentLength declared before the full feature phase.
     */
    private boolean readyFor(int nsg) {
        return (stage != SECURITY_NEGOTIATION || security.authenticated())
                && !negotiator.hasPendingOffers()
                && (nsg != FULL_FEATURE_PHASE.code() || negotiator.targetLimitsDeclared());
    }

    private LoginStep complete(LoginRequest request, byte[] piece) {
        NegotiatedLogin login = new NegotiatedLogin(initiatorName, negotiator.declared(LoginKey.INITIATOR_ALIAS),
                targetName, sessionType, first.isid(), first.tsih(), first.cid(),
                first.tsih() == 0 ? Optional.of(negotiator.sessionParameters()) : Optional.empty(),
                negotiator.connectionParameters());
        SessionBinding binding = Objects.requireNonNull(sessions.bind(login), "SessionBinder returned null");
        if (binding instanceof SessionBinding.Refused refused) {
            return fail(request, refused.status(), "the session layer refused the connection");
        }
        int tsih = ((SessionBinding.Bound) binding).tsih();
        finished = true;
        LOG.debug("login of {} complete: {} session, TSIH {}", initiatorName, sessionType, tsih);
        return new LoginStep(response(request, true, false, FULL_FEATURE_PHASE.code(), tsih, piece),
                new LoginOutcome.Complete(login, tsih));
    }

    private LoginStep fail(LoginRequest request, LoginStatus status, String reason) {
        finished = true;
        pendingOutput.clear();
        reassembler.reset();
        LOG.info("login of {} failed with status 0x{}: {}", initiatorName, Integer.toHexString(status.code()), reason);
        LoginResponse response = new LoginResponse(false, false, request.csg() & 0x3, 0, VERSION, VERSION,
                request.isid(), request.tsih(), request.itt(), numbers.nextStatSN(),
                numbers.expCmdSN(request.cmdSN()), numbers.maxCmdSN(request.cmdSN()), status.statusClass(),
                status.statusDetail(), Unpooled.EMPTY_BUFFER);
        return new LoginStep(response, new LoginOutcome.Fail(status, reason));
    }

    private LoginResponse response(LoginRequest request, boolean transit, boolean cont, int nsg, int tsih,
                                   byte[] text) {
        ByteBuf data = text.length == 0 ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(text);
        return new LoginResponse(transit, cont, stage.code(), nsg, VERSION, VERSION, request.isid(), tsih,
                request.itt(), numbers.nextStatSN(), numbers.expCmdSN(request.cmdSN()),
                numbers.maxCmdSN(request.cmdSN()), LoginStatus.SUCCESS.statusClass(),
                LoginStatus.SUCCESS.statusDetail(), data);
    }
}
