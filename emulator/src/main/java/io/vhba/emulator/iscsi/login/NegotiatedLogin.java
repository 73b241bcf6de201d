package io.vhba.emulator.iscsi.login;

import java.util.Objects;
import java.util.Optional;

/**
 * Everything a login established, handed to the {@link SessionBinder} and returned on completion.
 *
 * @param initiatorName  InitiatorName (§13.5)
 * @param initiatorAlias InitiatorAlias (§13.7), if declared
 * @param targetName     TargetName of a normal session (§13.4); empty for discovery
 * @param sessionType    SessionType (§13.21)
 * @param isid           the ISID of the Login Requests
 * @param requestedTsih  the TSIH of the Login Requests: 0 for a leading login (new session or
 *                       reinstatement), the session's TSIH when a connection is added
 * @param cid            the CID of the Login Requests
 * @param session        the session parameters negotiated by a leading login; empty when a connection
 *                       joins a session that already has them
 * @param connection     the connection parameters
 */
public record NegotiatedLogin(String initiatorName, Optional<String> initiatorAlias, Optional<String> targetName,
                              SessionType sessionType, long isid, int requestedTsih, int cid,
                              Optional<SessionParameters> session, ConnectionParameters connection) {

    public NegotiatedLogin {
        Objects.requireNonNull(initiatorName, "initiatorName");
        Objects.requireNonNull(initiatorAlias, "initiatorAlias");
        Objects.requireNonNull(targetName, "targetName");
        Objects.requireNonNull(sessionType, "sessionType");
        Objects.requireNonNull(session, "session");
        Objects.requireNonNull(connection, "connection");
    }

    /** True when the login opens or reinstates a session (TSIH 0, §11.12.6). */
    public boolean leading() {
        return requestedTsih == 0;
    }
}
