package io.vhba.emulator.iscsi.login;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Splits a text data segment the target sends into PDU-sized pieces (RFC 7143 §6.1): every piece
 * but the last goes out with the C bit set, and a pair may be cut anywhere, as the peer joins bytes
 * before decoding.
 */
public final class TextSegmenter {

    private TextSegmenter() {
    }

    /**
     * Splits {@code text} into pieces of at most {@code maxSegmentLength} bytes, the peer's
     * MaxRecvDataSegmentLength (§13.12). An empty text gives one empty piece, since a response is
     * sent even when it carries no text.
     */
    public static List<byte[]> split(byte[] text, int maxSegmentLength) {
        if (maxSegmentLength < 1) {
            throw new IllegalArgumentException("segment length must be positive: " + maxSegmentLength);
        }
        if (text.length == 0) {
            return List.of(new byte[0]);
        }
        List<byte[]> pieces = new ArrayList<>();
        for (int from = 0; from < text.length; from += maxSegmentLength) {
            pieces.add(Arrays.copyOfRange(text, from, Math.min(text.length, from + maxSegmentLength)));
        }
        return List.copyOf(pieces);
    }
}
