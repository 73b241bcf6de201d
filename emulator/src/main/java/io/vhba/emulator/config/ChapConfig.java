package io.vhba.emulator.config;

/**
 * CHAP secrets of a target (RFC 7143 §12.1.3). With {@code user}/{@code secret} the initiator
 * must authenticate; with {@code mutualUser}/{@code mutualSecret} as well, the target proves
 * itself back. Secrets are never logged.
 */
public record ChapConfig(String user, String secret, String mutualUser, String mutualSecret) {

    void validate(String where) {
        if (user == null || user.isEmpty() || secret == null || secret.isEmpty()) {
            throw new ConfigException(where + ": CHAP needs both user and secret");
        }
        if ((mutualUser == null) != (mutualSecret == null)) {
            throw new ConfigException(where + ": mutual CHAP needs both mutualUser and mutualSecret");
        }
        if (secret.length() < 12 || (mutualSecret != null && mutualSecret.length() < 12)) {
            // RFC 7143 §12.1.3 and every initiator insist on at least 96 bits.
            throw new ConfigException(where + ": CHAP secrets must be at least 12 characters");
        }
        if (secret.equals(mutualSecret)) {
            throw new ConfigException(where + ": the mutual secret must differ from the initiator's secret");
        }
    }

    @Override
    public String toString() {
        return "ChapConfig[user=" + user + ", secret=<redacted>, mutualUser=" + mutualUser + ", mutualSecret=<redacted>]";
    }
}
