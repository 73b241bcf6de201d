package io.vhba.emulator.iscsi.login;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/** The value syntaxes of RFC 7143 §6.1. Every parser answers empty for a malformed value. */
public final class ValueSyntax {

    /** §6.1: a simple-value is at most 255 bytes unless its key says otherwise. */
    public static final int MAX_SIMPLE_VALUE_BYTES = 255;

    private static final HexFormat HEX = HexFormat.of();

    private ValueSyntax() {
    }

    /**
     * A numerical-value: a decimal-constant ("0" or digits not starting with 0) or a hex-constant
     * ("0x"/"0X" and hex digits), below 2^64. Values of 2^63 and above, valid but beyond every range a
     * key defines, come back as {@link Long#MAX_VALUE}.
     */
    public static OptionalLong parseNumber(String value) {
        String digits;
        int radix;
        if (value.startsWith("0x") || value.startsWith("0X")) {
            digits = value.substring(2);
            radix = 16;
        } else if (value.equals("0") || (!value.isEmpty() && value.charAt(0) != '0')) {
            digits = value;
            radix = 10;
        } else {
            return OptionalLong.empty();
        }
        if (digits.isEmpty() || !digits.chars().allMatch(c -> isAsciiDigit(c, radix))) {
            return OptionalLong.empty();
        }
        try {
            long parsed = Long.parseUnsignedLong(digits, radix);
            return OptionalLong.of(parsed < 0 ? Long.MAX_VALUE : parsed);
        } catch (NumberFormatException tooLarge) {
            return OptionalLong.empty();
        }
    }

    private static boolean isAsciiDigit(int c, int radix) {
        return (c >= '0' && c <= '9') || (radix == 16 && ((c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')));
    }

    /** A boolean-value: exactly "Yes" or "No". */
    public static Optional<Boolean> parseBoolean(String value) {
        return switch (value) {
            case "Yes" -> Optional.of(Boolean.TRUE);
            case "No" -> Optional.of(Boolean.FALSE);
            default -> Optional.empty();
        };
    }

    /** The iSCSI spelling of a boolean. */
    public static String booleanValue(boolean value) {
        return value ? "Yes" : "No";
    }

    /**
     * A list-of-values: simple values separated by commas, each non-empty and at most 255 bytes
     * (§6.1).
     */
    public static Optional<List<String>> parseList(String value) {
        List<String> items = new ArrayList<>();
        int from = 0;
        while (true) {
            int comma = value.indexOf(',', from);
            String item = comma < 0 ? value.substring(from) : value.substring(from, comma);
            if (item.isEmpty() || !isSimpleValueLength(item)) {
                return Optional.empty();
            }
            items.add(item);
            if (comma < 0) {
                return Optional.of(List.copyOf(items));
            }
            from = comma + 1;
        }
    }

    /** True when the value fits the §6.1 simple-value limit of 255 bytes. */
    public static boolean isSimpleValueLength(String value) {
        return value.getBytes(StandardCharsets.UTF_8).length <= MAX_SIMPLE_VALUE_BYTES;
    }

    /**
     * A binary-value in hex ("0x"/"0X") or base64 ("0b"/"0B", RFC 4648) form. A hex constant of n
     * digits is (n+1)/2 bytes long: an odd count gets a leading zero nibble (§6.1).
     */
    public static Optional<byte[]> parseBinary(String value) {
        if (value.length() < 3) {
            return Optional.empty();
        }
        String prefix = value.substring(0, 2);
        String body = value.substring(2);
        try {
            if (prefix.equals("0x") || prefix.equals("0X")) {
                return Optional.of(HEX.parseHex(body.length() % 2 == 0 ? body : "0" + body));
            }
            if (prefix.equals("0b") || prefix.equals("0B")) {
                return Optional.of(Base64.getDecoder().decode(body));
            }
        } catch (IllegalArgumentException malformed) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    /** A binary-value as a hex-constant, the form every initiator parses. */
    public static String hexValue(byte[] bytes) {
        return "0x" + HEX.formatHex(bytes);
    }
}
