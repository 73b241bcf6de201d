package io.vhba.emulator.iscsi.login;

import java.util.Objects;

/**
 * A CHAP name and secret (RFC 1994, RFC 7143 §12.1.3). {@link #toString()} shows the name only.
 *
 * @param name   the CHAP_N value
 * @param secret the shared secret
 */
public record ChapCredentials(String name, ChapSecret secret) {

    public ChapCredentials {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(secret, "secret");
        if (name.isEmpty() || !ValueSyntax.isSimpleValueLength(name) || name.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("a CHAP name must be 1 to 255 bytes without null bytes");
        }
    }

    public static ChapCredentials of(String name, String secret) {
        return new ChapCredentials(name, ChapSecret.of(secret));
    }

    @Override
    public String toString() {
        return "ChapCredentials[name=" + name + ", secret=redacted]";
    }
}
