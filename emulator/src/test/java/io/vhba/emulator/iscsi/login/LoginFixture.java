package io.vhba.emulator.iscsi.login;

import static io.vhba.emulator.iscsi.login.LoginTexts.TARGET;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** A target with one LUN-less target node, a recording session binder and configurable authentication. */
final class LoginFixture {

    static final ChapCredentials INITIATOR_CHAP = ChapCredentials.of("host1-user", "initiator-secret-01");
    static final ChapCredentials TARGET_CHAP = ChapCredentials.of("disk0-user", "target-secret-0002");
    static final int TSIH = 0x1234;
    static final int FIRST_STAT_SN = 100;
    static final int WINDOW = 32;

    final List<NegotiatedLogin> bound = new ArrayList<>();
    SessionBinding binding = new SessionBinding.Bound(TSIH);
    AuthenticationPolicy targetAuthentication = AuthenticationPolicy.none();
    AuthenticationPolicy discoveryAuthentication = AuthenticationPolicy.none();
    /** Whether the target's access control list lets the initiator in. */
    boolean authorized = true;
    TargetPolicy policy = TargetPolicy.defaults();

    LoginStateMachine machine() {
        return machine(new SecureRandom());
    }

    LoginStateMachine machine(SecureRandom random) {
        TargetResolver resolver = new TargetResolver() {
            @Override
            public Optional<TargetDescriptor> resolve(String targetName, String initiatorName) {
                return targetName.equals(TARGET)
                        ? Optional.of(new TargetDescriptor(TARGET, 1, Optional.of("disk0"), targetAuthentication, authorized))
                        : Optional.empty();
            }

            @Override
            public AuthenticationPolicy discoveryAuthentication(String initiatorName) {
                return discoveryAuthentication;
            }
        };
        return new LoginStateMachine(policy, resolver, LoginSequenceNumbers.leading(FIRST_STAT_SN, WINDOW), login -> {
            bound.add(login);
            return binding;
        }, random);
    }

    /** CHAP_I 0x2a and the challenge 0x00, 0x01, ..., so that responses can be precomputed. */
    static SecureRandom fixedRandom() {
        return new SecureRandom() {
            @Override
            public int nextInt(int bound) {
                return 0x2a;
            }

            @Override
            public void nextBytes(byte[] bytes) {
                for (int i = 0; i < bytes.length; i++) {
                    bytes[i] = (byte) i;
                }
            }
        };
    }
}
