package io.vhba.emulator.iscsi.login;

/**
 * Bounds on the key=value text a peer may make the target parse and answer (RFC 7143 §6.1), against
 * the shapes behind CVE-2013-2850 (an unbounded key echoed in a NotUnderstood reply) and texts built
 * to make the target's answer or its reassembly buffer grow. The key name bound (63 bytes, §6.1) and
 * the per-kind value bounds ({@link ValueKind#maxValueBytes()}) are fixed by the RFC; these are not.
 *
 * @param maxPairsPerText  key=value pairs in one logical text (one request, its Continue PDUs joined);
 *                         every pair may be answered, so this also bounds the answer
 * @param maxPairsPerLogin pairs across all texts of one login, so a login cannot loop on unknown keys
 * @param maxTextBytes     bytes of one logical text across its Continue PDUs; §6.1 asks a node to accept
 *                         at least 8192, and 64 KiB where authentication items may be long
 */
public record TextLimits(int maxPairsPerText, int maxPairsPerLogin, int maxTextBytes) {

    /**
     * 128 pairs a text (Linux and libiscsi send about 20 in their longest text), 512 a login, 64 KiB a
     * text.
     */
    public static final TextLimits DEFAULT = new TextLimits(128, 512, TextReassembler.DEFAULT_MAX_BYTES);

    public TextLimits {
        if (maxPairsPerText < 32 || maxPairsPerLogin < maxPairsPerText) {
            throw new IllegalArgumentException("text limits: at least 32 pairs a text, and a login allows at least"
                    + " as many as a text (" + maxPairsPerText + ", " + maxPairsPerLogin + ")");
        }
        if (maxTextBytes < 8192) {
            throw new IllegalArgumentException("RFC 7143 §6.1 requires at least 8192 bytes of text, got " + maxTextBytes);
        }
    }
}
