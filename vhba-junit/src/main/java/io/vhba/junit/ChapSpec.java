package io.vhba.junit;

/**
 * CHAP secrets of the test target (RFC 7143 §12.1.3): the initiator's user and secret, and for mutual
 * CHAP the target's own. In-process, a test gives them as strings; they go into the target's
 * configuration, whose {@code ChapConfig} never prints a secret, and never into a log or a message.
 */
record ChapSpec(String user, String secret, String mutualUser, String mutualSecret) {

    ChapSpec withMutual(String user, String secret) {
        return new ChapSpec(this.user, this.secret, user, secret);
    }

    @Override
    public String toString() {
        return "ChapSpec[user=" + user + ", secret=<redacted>, mutualUser=" + mutualUser + ", mutualSecret=<redacted>]";
    }
}
