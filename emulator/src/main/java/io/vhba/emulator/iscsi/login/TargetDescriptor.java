package io.vhba.emulator.iscsi.login;

import java.util.Objects;
import java.util.Optional;

/**
 * What a login needs to know of the target an initiator names.
 *
 * @param name           the target's iSCSI name
 * @param portalGroupTag the TargetPortalGroupTag of the portal group serving the login (§13.9), 0..65535
 * @param alias          the TargetAlias sent to initiators of normal sessions (§13.6), if configured
 * @param authentication what the target demands of this initiator in the security stage
 * @param authorized     whether the target's access control list lets this initiator in (else the login fails
 *                       with 0x0202, authorization failure, before any authentication)
 */
public record TargetDescriptor(String name, int portalGroupTag, Optional<String> alias,
                               AuthenticationPolicy authentication, boolean authorized) {

    /** A target that lets every initiator in (no access control list). */
    public TargetDescriptor(String name, int portalGroupTag, Optional<String> alias, AuthenticationPolicy authentication) {
        this(name, portalGroupTag, alias, authentication, true);
    }

    public TargetDescriptor {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(alias, "alias");
        Objects.requireNonNull(authentication, "authentication");
        if (portalGroupTag < 0 || portalGroupTag > 0xFFFF) {
            throw new IllegalArgumentException("TargetPortalGroupTag is 16 bits: " + portalGroupTag);
        }
        if (alias.isPresent() && (alias.get().isEmpty() || !LoginKey.TARGET_ALIAS.isValid(alias.get()))) {
            throw new IllegalArgumentException("TargetAlias must be 1 to 255 bytes");
        }
    }
}
