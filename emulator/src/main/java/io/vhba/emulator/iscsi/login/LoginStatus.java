package io.vhba.emulator.iscsi.login;

/** Status-Class and Status-Detail of the Login Response (RFC 7143 §11.13.5). */
public enum LoginStatus {
    SUCCESS(0x00, 0x00),
    TARGET_MOVED_TEMPORARILY(0x01, 0x01),
    TARGET_MOVED_PERMANENTLY(0x01, 0x02),
    /** Miscellaneous initiator errors, e.g. a protocol violation in the login text or flags. */
    INITIATOR_ERROR(0x02, 0x00),
    /** The initiator could not be authenticated, or target authentication is not supported. */
    AUTHENTICATION_FAILURE(0x02, 0x01),
    /** The initiator is not allowed access to the given target. */
    AUTHORIZATION_FAILURE(0x02, 0x02),
    /** The requested TargetName does not exist at this address. */
    NOT_FOUND(0x02, 0x03),
    TARGET_REMOVED(0x02, 0x04),
    /** The requested iSCSI version range is not supported by the target. */
    UNSUPPORTED_VERSION(0x02, 0x05),
    TOO_MANY_CONNECTIONS(0x02, 0x06),
    /** Missing parameters, e.g. InitiatorName or TargetName. */
    MISSING_PARAMETER(0x02, 0x07),
    CANT_INCLUDE_IN_SESSION(0x02, 0x08),
    SESSION_TYPE_NOT_SUPPORTED(0x02, 0x09),
    SESSION_DOES_NOT_EXIST(0x02, 0x0a),
    /** A non-login request arrived during login. */
    INVALID_REQUEST_DURING_LOGIN(0x02, 0x0b),
    TARGET_ERROR(0x03, 0x00),
    SERVICE_UNAVAILABLE(0x03, 0x01),
    OUT_OF_RESOURCES(0x03, 0x02);

    private final int statusClass;
    private final int statusDetail;

    LoginStatus(int statusClass, int statusDetail) {
        this.statusClass = statusClass;
        this.statusDetail = statusDetail;
    }

    public int statusClass() {
        return statusClass;
    }

    public int statusDetail() {
        return statusDetail;
    }

    /** Class and detail as one 16-bit value, e.g. 0x0201. */
    public int code() {
        return statusClass << 8 | statusDetail;
    }
}
