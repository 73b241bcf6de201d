package io.vhba.emulator.iscsi.login;

import java.util.Collection;
import java.util.Optional;
import java.util.stream.Collectors;

/** The values of HeaderDigest and DataDigest (RFC 7143 §13.1). */
public enum Digest {
    NONE("None"),
    CRC32C("CRC32C");

    private final String value;

    Digest(String value) {
        this.value = value;
    }

    /** The text value on the wire. */
    public String value() {
        return value;
    }

    public static Optional<Digest> of(String value) {
        for (Digest digest : values()) {
            if (digest.value.equals(value)) {
                return Optional.of(digest);
            }
        }
        return Optional.empty();
    }

    /** The digests as a list-of-values, in enum order. */
    static String list(Collection<Digest> digests) {
        return digests.stream().sorted().map(Digest::value).collect(Collectors.joining(","));
    }
}
