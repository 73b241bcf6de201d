package io.vhba.emulator.iscsi.login;

/**
 * A text data segment that breaks the RFC 7143 §6.1 format. The message names the violated rule and
 * at most the key name, never a value (values may carry authentication material).
 */
public final class TextFormatException extends RuntimeException {

    /** The rule that was broken. */
    public enum Reason {
        /** A pair without '=' (§6.1). */
        MISSING_EQUALS,
        /** The last pair is not followed by a null delimiter (§6.1). */
        MISSING_TERMINATOR,
        /** A key name that is empty. */
        EMPTY_KEY,
        /** A key name longer than 63 bytes (§6.1 standard-label). */
        KEY_TOO_LONG,
        /** A key name with a character outside the standard-label set (§6.1). */
        INVALID_KEY_CHARACTER,
        /** A value longer than the codec accepts. */
        VALUE_TOO_LONG,
        /** The same key twice in one text (§6.2, a protocol error). */
        DUPLICATE_KEY,
        /** Bytes that are not UTF-8 (§6.1). */
        INVALID_UTF8,
        /** A logical text data segment longer than the reassembly limit (§6.1). */
        TEXT_TOO_LONG,
        /** More key=value pairs than {@link TextLimits} allows in one text or one login. */
        TOO_MANY_KEYS
    }

    private final Reason reason;

    public TextFormatException(Reason reason, String detail) {
        super(reason + ": " + detail);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
