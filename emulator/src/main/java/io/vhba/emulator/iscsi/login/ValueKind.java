package io.vhba.emulator.iscsi.login;

/**
 * The value syntax of a key (RFC 7143 §6.1), with the longest value of that syntax the target parses.
 * A longer value is invalid before any parsing: it is answered Reject (or fails the login where the
 * key cannot be rejected), so no parser ever sees more than these bytes.
 */
public enum ValueKind {
    /** boolean-value: Yes or No. */
    BOOLEAN(3),
    /** numerical-value within the key's range; 16-bit binary values such as TargetPortalGroupTag too. §6.1: 255 bytes. */
    NUMBER(ValueSyntax.MAX_SIMPLE_VALUE_BYTES),
    /** list-of-values: each item at most 255 bytes (§6.1); no key of §12-§13 has a list anywhere near 2 KiB. */
    LIST(2048),
    /** text-value or iSCSI-local-name-value, at most 255 bytes. */
    TEXT(ValueSyntax.MAX_SIMPLE_VALUE_BYTES),
    /** iSCSI-name-value, 1 to 223 bytes (RFC 7143 §4.2.7). */
    NAME(223),
    /** binary-value in hex or base64 (CHAP_C, CHAP_R): at most 1024 bytes (§12.1.3), so "0x" and 2048 hex digits. */
    BINARY(2 + 2 * 1024),
    /** numeric-range (the obsolete marker interval keys). */
    NUMERIC_RANGE(ValueSyntax.MAX_SIMPLE_VALUE_BYTES);

    private final int maxValueBytes;

    ValueKind(int maxValueBytes) {
        this.maxValueBytes = maxValueBytes;
    }

    /** The longest value of this kind, in UTF-8 bytes, that is parsed at all. */
    public int maxValueBytes() {
        return maxValueBytes;
    }
}
