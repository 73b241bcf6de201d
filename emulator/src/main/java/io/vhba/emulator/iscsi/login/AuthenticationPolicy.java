package io.vhba.emulator.iscsi.login;

import java.util.Objects;
import java.util.Optional;

/** What the target demands in the security negotiation stage (RFC 7143 §12). */
public sealed interface AuthenticationPolicy permits AuthenticationPolicy.None, AuthenticationPolicy.Chap {

    /** No authentication: the target answers AuthMethod=None and accepts logins that skip security. */
    static AuthenticationPolicy none() {
        return new None();
    }

    /** One-way CHAP: the initiator must prove {@code initiator}; the target cannot be authenticated. */
    static AuthenticationPolicy chap(ChapCredentials initiator) {
        return new Chap(initiator, Optional.empty());
    }

    /** CHAP where the initiator may also authenticate the target, which then answers with {@code target}. */
    static AuthenticationPolicy mutualChap(ChapCredentials initiator, ChapCredentials target) {
        return new Chap(initiator, Optional.of(target));
    }

    /** AuthMethod=None. */
    record None() implements AuthenticationPolicy {
    }

    /**
     * AuthMethod=CHAP is required.
     *
     * @param initiator the name and secret the initiator must answer our challenge with
     * @param target    the name and secret the target answers the initiator's challenge with (mutual
     *                  CHAP); empty when the target cannot be authenticated
     */
    record Chap(ChapCredentials initiator, Optional<ChapCredentials> target) implements AuthenticationPolicy {
        public Chap {
            Objects.requireNonNull(initiator, "initiator");
            Objects.requireNonNull(target, "target");
            // §12.1.3: a secret that authenticates initiators must not authenticate targets, and back.
            if (target.isPresent() && target.get().secret().sameAs(initiator.secret())) {
                throw new IllegalArgumentException("the initiator and target CHAP secrets must differ");
            }
        }
    }
}
