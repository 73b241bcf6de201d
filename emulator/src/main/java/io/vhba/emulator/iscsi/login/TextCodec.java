package io.vhba.emulator.iscsi.login;

import io.netty.buffer.ByteBuf;
import io.vhba.emulator.iscsi.login.TextFormatException.Reason;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The text data segment of Login and Text PDUs (RFC 7143 §6.1): UTF-8 {@code key=value} pairs, each
 * followed by one null byte, in order.
 */
public final class TextCodec {

    /** §6.1: a key name (standard-label) must not exceed 63 characters; all are single-byte here. */
    public static final int MAX_KEY_NAME_BYTES = 63;

    /**
     * The codec's bound on one value. Simple values are limited to 255 bytes (§6.1, checked per key),
     * but lists are longer and a CHAP binary value may hold 1024 bytes, 2050 characters in hex
     * (§12.1.3).
     */
    public static final int MAX_VALUE_BYTES = 8192;

    private TextCodec() {
    }

    /** Decodes the readable bytes of {@code segment} without moving its reader index. */
    public static List<TextPair> decode(ByteBuf segment) {
        byte[] bytes = new byte[segment.readableBytes()];
        segment.getBytes(segment.readerIndex(), bytes);
        return decode(bytes);
    }

    /**
     * Decodes a complete logical text data segment into its pairs, in order.
     *
     * <p>Empty entries (two null bytes in a row) are skipped: some initiators pad the segment with
     * nulls inside DataSegmentLength, and no pair can be empty.
     *
     * @throws TextFormatException if the text breaks §6.1 or holds a key twice (§6.2)
     */
    public static List<TextPair> decode(byte[] text) {
        return decode(text, Integer.MAX_VALUE);
    }

    /**
     * As {@link #decode(byte[])}, refusing a text of more than {@code maxPairs} pairs before it holds
     * them all (each pair may be answered, so the count bounds the answer too).
     *
     * @throws TextFormatException also with {@link Reason#TOO_MANY_KEYS}
     */
    public static List<TextPair> decode(byte[] text, int maxPairs) {
        List<TextPair> pairs = new ArrayList<>();
        Set<String> keys = new HashSet<>();
        int start = 0;
        for (int i = 0; i < text.length; i++) {
            if (text[i] != 0) {
                continue;
            }
            if (i > start) {
                if (pairs.size() == maxPairs) {
                    throw new TextFormatException(Reason.TOO_MANY_KEYS, "more than " + maxPairs + " key=value pairs");
                }
                TextPair pair = decodePair(text, start, i);
                if (!keys.add(pair.key())) {
                    throw new TextFormatException(Reason.DUPLICATE_KEY, "key " + pair.key() + " appears twice");
                }
                pairs.add(pair);
            }
            start = i + 1;
        }
        if (start < text.length) {
            throw new TextFormatException(Reason.MISSING_TERMINATOR,
                    "the last pair of the text is not followed by a null byte");
        }
        return List.copyOf(pairs);
    }

    /** Encodes the pairs, each followed by a null byte (§6.1). */
    public static byte[] encode(List<TextPair> pairs) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (TextPair pair : pairs) {
            checkKey(pair.key());
            byte[] value = pair.value().getBytes(StandardCharsets.UTF_8);
            if (value.length > MAX_VALUE_BYTES) {
                throw new TextFormatException(Reason.VALUE_TOO_LONG, "value of key " + pair.key() + " too long");
            }
            for (byte b : value) {
                if (b == 0) {
                    throw new IllegalArgumentException("value of key " + pair.key() + " contains a null byte");
                }
            }
            out.writeBytes(pair.key().getBytes(StandardCharsets.US_ASCII));
            out.write('=');
            out.writeBytes(value);
            out.write(0);
        }
        return out.toByteArray();
    }

    private static TextPair decodePair(byte[] text, int from, int to) {
        int equals = -1;
        for (int i = from; i < to; i++) {
            if (text[i] == '=') {
                equals = i;
                break;
            }
        }
        if (equals < 0) {
            throw new TextFormatException(Reason.MISSING_EQUALS, "a pair has no '='");
        }
        if (equals - from > MAX_KEY_NAME_BYTES) {
            throw new TextFormatException(Reason.KEY_TOO_LONG,
                    "a key name of " + (equals - from) + " bytes exceeds " + MAX_KEY_NAME_BYTES);
        }
        if (to - equals - 1 > MAX_VALUE_BYTES) {
            throw new TextFormatException(Reason.VALUE_TOO_LONG, "a value exceeds " + MAX_VALUE_BYTES + " bytes");
        }
        String key = utf8(text, from, equals);
        checkKey(key);
        return new TextPair(key, utf8(text, equals + 1, to));
    }

    /**
     * §6.1: a key name is letters, digits, dot, minus, plus, commercial at and underscore; '#' is
     * allowed for IANA-registered {@code X#} keys (§13.22). The RFC's "begins with a capital letter"
     * is not enforced: its own key {@code iSCSIProtocolLevel} (§13.24) does not.
     */
    private static void checkKey(String key) {
        if (key.isEmpty()) {
            throw new TextFormatException(Reason.EMPTY_KEY, "a pair has an empty key name");
        }
        if (key.length() > MAX_KEY_NAME_BYTES) {
            throw new TextFormatException(Reason.KEY_TOO_LONG, "key name longer than " + MAX_KEY_NAME_BYTES);
        }
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            boolean ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                    || c == '.' || c == '-' || c == '+' || c == '@' || c == '_' || c == '#';
            if (!ok) {
                throw new TextFormatException(Reason.INVALID_KEY_CHARACTER,
                        "key name has a character outside the standard-label set at position " + i);
            }
        }
    }

    private static String utf8(byte[] bytes, int from, int to) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, from, to - from))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new TextFormatException(Reason.INVALID_UTF8, "the text is not valid UTF-8");
        }
    }
}
