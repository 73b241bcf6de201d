package io.vhba.emulator.iscsi.login;

import java.util.Optional;

/** Implemented by the caller: the targets behind this portal and their authentication demands. */
public interface TargetResolver {

    /**
     * The target an initiator names in a normal session's login.
     *
     * @param targetName    the TargetName key
     * @param initiatorName the InitiatorName key, so that credentials may differ per initiator
     * @return the target, or empty when no such target exists here (login status 0x0203)
     */
    Optional<TargetDescriptor> resolve(String targetName, String initiatorName);

    /**
     * What a discovery session of this initiator must prove. Discovery is governed apart from the
     * targets, as LIO's discovery_auth: {@link AuthenticationPolicy#none()} lets any initiator list
     * the targets, a CHAP policy applies the same exchange as a normal session.
     */
    AuthenticationPolicy discoveryAuthentication(String initiatorName);
}
