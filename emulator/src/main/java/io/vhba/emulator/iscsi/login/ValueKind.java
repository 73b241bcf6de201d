package io.vhba.emulator.iscsi.login;

/** The value syntax of a key (RFC 7143 §6.1). */
public enum ValueKind {
    /** boolean-value: Yes or No. */
    BOOLEAN,
    /** numerical-value within the key's range; 16-bit binary values such as TargetPortalGroupTag too. */
    NUMBER,
    /** list-of-values. */
    LIST,
    /** text-value or iSCSI-local-name-value, at most 255 bytes. */
    TEXT,
    /** iSCSI-name-value, 1 to 223 bytes (RFC 7143 §4.2.7). */
    NAME,
    /** binary-value in hex or base64 (CHAP_C, CHAP_R). */
    BINARY,
    /** numeric-range (the obsolete marker interval keys). */
    NUMERIC_RANGE
}
