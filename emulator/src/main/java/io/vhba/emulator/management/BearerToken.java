package io.vhba.emulator.management;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The API token (RFC 6750 bearer): only its SHA-256 digest is kept, and a presented token is compared by digest with
 * {@link MessageDigest#isEqual}, which takes the same time wherever the bytes differ, and whose input has the same
 * length whatever was sent. Never printed: {@link #toString} says it is redacted.
 */
public final class BearerToken {
    private final byte[] digest;

    private BearerToken(byte[] digest) {
        this.digest = digest;
    }

    /** @throws IllegalArgumentException for an empty token or one with white space inside */
    public static BearerToken of(String token) {
        if (token == null || token.isEmpty() || token.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException("a token is one line of printable characters without spaces");
        }
        return new BearerToken(sha256(token));
    }

    /** Whether an {@code Authorization} header value carries this token ({@code Bearer <token>}). */
    public boolean matches(String authorization) {
        if (authorization == null || authorization.length() < 7
                || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        return MessageDigest.isEqual(digest, sha256(authorization.substring(7).trim()));
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    @Override
    public String toString() {
        return "BearerToken[redacted]";
    }
}
