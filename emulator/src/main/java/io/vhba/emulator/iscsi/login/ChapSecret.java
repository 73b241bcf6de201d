package io.vhba.emulator.iscsi.login;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;

/**
 * A CHAP secret (RFC 1994). It never leaves this package: no accessor, and {@link #toString()} is
 * redacted, so it cannot end up in a log line or an exception message by accident.
 */
public final class ChapSecret {

    private final byte[] secret;

    private ChapSecret(byte[] secret) {
        if (secret.length == 0) {
            throw new IllegalArgumentException("a CHAP secret must not be empty");
        }
        this.secret = secret;
    }

    /** A secret given as text, used as its UTF-8 bytes (the usual initiator configuration). */
    public static ChapSecret of(String secret) {
        return new ChapSecret(secret.getBytes(StandardCharsets.UTF_8));
    }

    /** A secret given as raw bytes (RFC 7143 §12.1.3 asks for random secrets of up to 128 bits or more). */
    public static ChapSecret of(byte[] secret) {
        return new ChapSecret(secret.clone());
    }

    /** Feeds the secret into a digest, the only way the secret is used. */
    void update(MessageDigest digest) {
        digest.update(secret);
    }

    /** Constant-time comparison, to enforce distinct secrets per direction (§12.1.3). */
    boolean sameAs(ChapSecret other) {
        return MessageDigest.isEqual(secret, other.secret);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ChapSecret that && sameAs(that);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(secret);
    }

    @Override
    public String toString() {
        return "ChapSecret[redacted]";
    }
}
