package io.vhba.emulator.scsi.core.access;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * An initiator name, or a prefix of names written with a trailing {@code *}, as an access control list names
 * initiators. Names compare in lower case: RFC 3722 stringprep maps iSCSI names to lower case, so
 * {@code iqn.2026-12.Test:Host} and {@code iqn.2026-12.test:host} are the same initiator.
 *
 * @param text   the pattern in lower case, without the {@code *}
 * @param prefix true when the pattern ends in {@code *} and matches every name starting with {@code text}
 */
public record InitiatorPattern(String text, boolean prefix) {

    /**
     * RFC 7143 §4.2.7.4: iqn. names (type, date, naming authority; the rest is the authority's, so any character but
     * blanks and the pattern's {@code *} is taken); eui. is 16 hex digits; naa. 16 or 32 (RFC 3980).
     */
    private static final Pattern IQN = Pattern.compile("iqn\\.\\d{4}-\\d{2}\\.[^\\s*]+");
    private static final Pattern EUI = Pattern.compile("eui\\.[0-9a-f]{16}");
    private static final Pattern NAA = Pattern.compile("naa\\.([0-9a-f]{16}|[0-9a-f]{32})");
    /** A prefix may stop anywhere. */
    private static final Pattern PREFIX = Pattern.compile("[^\\s*]*");
    private static final int MAX_NAME_BYTES = 223;

    /**
     * Parses {@code iqn.2026-12.test:host1} (exact), {@code iqn.2026-12.test:*} (prefix) or {@code *} (everyone).
     *
     * @throws IllegalArgumentException with a one-line reason when the text is neither
     */
    public static InitiatorPattern parse(String pattern) {
        if (pattern == null || pattern.isBlank()) {
            throw new IllegalArgumentException("an initiator name or pattern is required");
        }
        String t = pattern.trim().toLowerCase(Locale.ROOT);
        boolean prefix = t.endsWith("*");
        String body = prefix ? t.substring(0, t.length() - 1) : t;
        if (body.length() > MAX_NAME_BYTES) {
            throw new IllegalArgumentException("'" + pattern + "' is longer than an iSCSI name (223 bytes)");
        }
        boolean valid = prefix ? PREFIX.matcher(body).matches()
                : IQN.matcher(body).matches() || EUI.matcher(body).matches() || NAA.matcher(body).matches();
        if (!valid) {
            throw new IllegalArgumentException("'" + pattern + "' is not an iSCSI name (iqn.YYYY-MM.authority:..., eui.<16 hex>,"
                    + " naa.<16 or 32 hex>) nor a prefix of one ending in '*'");
        }
        return new InitiatorPattern(body, prefix);
    }

    /** Whether {@code initiatorName} (as the initiator sent it) is this name or starts with this prefix. */
    public boolean matches(String initiatorName) {
        if (prefix) {
            return initiatorName.length() >= text.length() && initiatorName.regionMatches(true, 0, text, 0, text.length());
        }
        return initiatorName.equalsIgnoreCase(text);
    }

    /** How specific the pattern is: an exact name beats any prefix, a longer prefix beats a shorter one. */
    int specificity() {
        return prefix ? text.length() : Integer.MAX_VALUE;
    }

    @Override
    public String toString() {
        return prefix ? text + "*" : text;
    }
}
