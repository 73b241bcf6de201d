package io.vhba.emulator.management;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class BearerTokenTest {
    private final BearerToken token = BearerToken.of("s3cret-Token_42");

    @Test
    void onlyTheExactTokenAfterTheBearerSchemeMatches() {
        assertThat(token.matches("Bearer s3cret-Token_42")).isTrue();
        assertThat(token.matches("bearer s3cret-Token_42")).as("the scheme is case-insensitive (RFC 7235)").isTrue();
        assertThat(token.matches("Bearer s3cret-Token_4")).as("a prefix").isFalse();
        assertThat(token.matches("Bearer s3cret-Token_420")).as("longer").isFalse();
        assertThat(token.matches("Bearer S3cret-Token_42")).as("the token is case-sensitive").isFalse();
        assertThat(token.matches("Basic s3cret-Token_42")).isFalse();
        assertThat(token.matches("s3cret-Token_42")).isFalse();
        assertThat(token.matches("")).isFalse();
        assertThat(token.matches(null)).isFalse();
    }

    @Test
    void itNeverPrintsItself() {
        assertThat(token.toString()).doesNotContain("s3cret").isEqualTo("BearerToken[redacted]");
    }

    @Test
    void aTokenIsOneWordOfText() {
        assertThatThrownBy(() -> BearerToken.of("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> BearerToken.of("two words")).isInstanceOf(IllegalArgumentException.class);
    }
}
