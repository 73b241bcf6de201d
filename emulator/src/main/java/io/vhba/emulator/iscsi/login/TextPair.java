package io.vhba.emulator.iscsi.login;

import java.util.Objects;

/**
 * One {@code key=value} pair of a text data segment (RFC 7143 §6.1). The key is whatever precedes the
 * first '=', the value whatever follows it up to the null delimiter.
 */
public record TextPair(String key, String value) {

    public TextPair {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
    }

    @Override
    public String toString() {
        return key + "=" + value;
    }
}
