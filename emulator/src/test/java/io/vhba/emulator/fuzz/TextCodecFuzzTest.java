package io.vhba.emulator.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.Unpooled;
import io.vhba.emulator.iscsi.login.LoginKey;
import io.vhba.emulator.iscsi.login.TextCodec;
import io.vhba.emulator.iscsi.login.TextFormatException;
import io.vhba.emulator.iscsi.login.TextLimits;
import io.vhba.emulator.iscsi.login.TextPair;
import io.vhba.emulator.iscsi.login.TextReassembler;
import io.vhba.emulator.iscsi.login.TextSegmenter;
import io.vhba.emulator.iscsi.login.ValueSyntax;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;

/**
 * Coverage-guided fuzzing of the key=value text codec (RFC 7143 §6.1): {@link TextCodec},
 * {@link TextReassembler}, {@link TextSegmenter} and every key's value check.
 *
 * <p>Input: a byte that cuts the text into Continue pieces, then the text. Properties: the only exception
 * is {@link TextFormatException}; a decoded text has at most {@link TextLimits#DEFAULT} pairs, key names of
 * at most 63 bytes, and encodes to bytes that decode to the same pairs; text cut into pieces reassembles
 * to the same bytes; value checks and parsers never throw.
 */
public class TextCodecFuzzTest {
    static final FuzzStats STATS = new FuzzStats("text");

    @FuzzTest(maxDuration = "5s")
    void text(byte[] input) {
        fuzzerTestOneInput(input);
    }

    @AfterAll
    static void report() {
        System.err.println(STATS.line());
    }

    public static void fuzzerTestOneInput(byte[] input) {
        if (input.length < 1) {
            return;
        }
        STATS.executions.incrementAndGet();
        int piece = 1 + (input[0] & 0xFF) * 32;
        byte[] text = Arrays.copyOfRange(input, 1, input.length);
        reassembles(text, piece);
        List<TextPair> pairs;
        try {
            pairs = TextCodec.decode(text, TextLimits.DEFAULT.maxPairsPerText());
        } catch (TextFormatException documented) {
            return;
        }
        STATS.pdus.incrementAndGet();
        if (pairs.size() > TextLimits.DEFAULT.maxPairsPerText()) {
            throw new AssertionError(pairs.size() + " pairs decoded");
        }
        for (TextPair p : pairs) {
            if (p.key().getBytes(StandardCharsets.UTF_8).length > TextCodec.MAX_KEY_NAME_BYTES) {
                throw new AssertionError("key name of " + p.key().length() + " bytes decoded");
            }
            LoginKey.byName(p.key()).ifPresent(k -> k.isValid(p.value()));
            ValueSyntax.parseNumber(p.value());
            ValueSyntax.parseList(p.value());
            ValueSyntax.parseBinary(p.value());
            ValueSyntax.parseBoolean(p.value());
        }
        byte[] encoded = TextCodec.encode(pairs);
        if (!TextCodec.decode(encoded).equals(pairs)) {
            throw new AssertionError("encode/decode changed the pairs");
        }
        List<byte[]> pieces = TextSegmenter.split(encoded, 512);
        int total = pieces.stream().mapToInt(b -> b.length).sum();
        if (total != encoded.length) {
            throw new AssertionError("segmenting lost bytes");
        }
    }

    private static void reassembles(byte[] text, int piece) {
        TextReassembler r = new TextReassembler();
        Optional<byte[]> whole = Optional.empty();
        try {
            for (int from = 0; from < text.length || from == 0; from += piece) {
                int to = Math.min(text.length, from + piece);
                boolean last = to >= text.length;
                whole = r.append(Unpooled.wrappedBuffer(text, from, to - from), !last);
                if (last) {
                    break;
                }
            }
        } catch (TextFormatException tooLong) {
            if (tooLong.reason() != TextFormatException.Reason.TEXT_TOO_LONG) {
                throw new AssertionError("reassembly failed with " + tooLong.reason());
            }
            return;
        }
        if (whole.isEmpty() || !Arrays.equals(whole.get(), text)) {
            throw new AssertionError("reassembly of " + text.length + " bytes in pieces of " + piece + " differs");
        }
    }
}
