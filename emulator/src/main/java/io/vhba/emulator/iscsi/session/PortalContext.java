package io.vhba.emulator.iscsi.session;

import io.vhba.emulator.iscsi.login.AuthenticationPolicy;
import io.vhba.emulator.iscsi.login.TargetDescriptor;
import io.vhba.emulator.iscsi.login.TargetPolicy;
import io.vhba.emulator.iscsi.login.TargetResolver;
import io.vhba.emulator.limits.LimitEvents;
import io.vhba.emulator.scsi.core.ScsiTarget;
import java.util.Optional;
import java.security.SecureRandom;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * What every connection of a portal shares: the session registry, the target catalog, the
 * negotiation policy, who must authenticate, and the keepalive settings.
 *
 * @param authentication the CHAP demands per target (AuthenticationPolicy.none() for open targets)
 * @param discoveryAuthentication what a discovery session must prove
 * @param nopInIntervalMillis how long a connection may be silent before the target pings it (0: never)
 * @param nopInTimeoutMillis how long a ping may go unanswered before the connection is dropped
 * @param loginTimeoutMillis how long a login may take before the connection is dropped (slowloris)
 * @param limits the transport's limits against exhaustion
 * @param events where reached limits are counted and reported
 * @param logins the connections of every portal still in login
 * @param nanoTime the clock connections read (the kernel's: virtual in deterministic mode)
 * @param random where a login's CHAP challenges come from (seeded in deterministic mode)
 * @param trace the timeline, or null
 */
public record PortalContext(SessionRegistry registry, TargetCatalog catalog, TargetPolicy policy,
                            Function<ScsiTarget, AuthenticationPolicy> authentication,
                            AuthenticationPolicy discoveryAuthentication, long nopInIntervalMillis,
                            long nopInTimeoutMillis, long loginTimeoutMillis, PortalLimits limits,
                            LimitEvents events, LoginsInProgress logins, LongSupplier nanoTime,
                            Supplier<SecureRandom> random, io.vhba.emulator.trace.Tracer trace) {

    /** A context on real time and unseeded CHAP challenges, with the default limits and no limit on logins in progress but the timeout. */
    public PortalContext(SessionRegistry registry, TargetCatalog catalog, TargetPolicy policy,
                         Function<ScsiTarget, AuthenticationPolicy> authentication,
                         AuthenticationPolicy discoveryAuthentication, long nopInIntervalMillis,
                         long nopInTimeoutMillis, long loginTimeoutMillis) {
        this(registry, catalog, policy, authentication, discoveryAuthentication, nopInIntervalMillis, nopInTimeoutMillis,
                loginTimeoutMillis, PortalLimits.defaults(), new LimitEvents(), LoginsInProgress.unlimited());
    }

    /** A context on real time with unseeded CHAP challenges and no timeline. */
    public PortalContext(SessionRegistry registry, TargetCatalog catalog, TargetPolicy policy,
                         Function<ScsiTarget, AuthenticationPolicy> authentication,
                         AuthenticationPolicy discoveryAuthentication, long nopInIntervalMillis,
                         long nopInTimeoutMillis, long loginTimeoutMillis, PortalLimits limits, LimitEvents events,
                         LoginsInProgress logins) {
        this(registry, catalog, policy, authentication, discoveryAuthentication, nopInIntervalMillis, nopInTimeoutMillis,
                loginTimeoutMillis, limits, events, logins, System::nanoTime, SecureRandom::new, null);
    }

    /** The resolver a login uses to find the target an initiator names. */
    TargetResolver resolver() {
        return new TargetResolver() {
            @Override
            public Optional<TargetDescriptor> resolve(String targetName, String initiatorName) {
                ScsiTarget t = catalog.target(targetName);
                if (t == null) {
                    return Optional.empty();
                }
                return Optional.of(new TargetDescriptor(t.name(), t.portalGroupTag(),
                        Optional.ofNullable(t.alias()).filter(a -> !a.isEmpty()), authentication.apply(t),
                        t.acl().admits(initiatorName)));
            }

            @Override
            public AuthenticationPolicy discoveryAuthentication(String initiatorName) {
                return discoveryAuthentication;
            }
        };
    }
}
