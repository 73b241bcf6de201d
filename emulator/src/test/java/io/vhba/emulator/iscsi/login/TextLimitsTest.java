package io.vhba.emulator.iscsi.login;

import static io.vhba.emulator.iscsi.login.LoginFailureTest.assertFails;
import static io.vhba.emulator.iscsi.login.LoginTexts.INITIATOR;
import static io.vhba.emulator.iscsi.login.LoginTexts.TARGET;
import static io.vhba.emulator.iscsi.login.LoginTexts.keys;
import static io.vhba.emulator.iscsi.login.LoginTexts.request;
import static io.vhba.emulator.iscsi.login.LoginTexts.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The bounds of {@link TextLimits} and {@link ValueKind#maxValueBytes()} on login text. */
class TextLimitsTest {

    private final LoginFixture fixture = new LoginFixture();

    private static String[] unknownKeys(int n) {
        List<String> l = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            l.add("X-vendor.key" + i + "=v");
        }
        return l.toArray(String[]::new);
    }

    @Test
    void codecRefusesMorePairsThanAllowedBeforeHoldingThemAll() {
        byte[] text = String.join("\0", unknownKeys(129)).concat("\0").getBytes(StandardCharsets.UTF_8);

        assertThat(TextCodec.decode(text, 129)).hasSize(129);
        assertThatThrownBy(() -> TextCodec.decode(text, 128)).isInstanceOf(TextFormatException.class)
                .extracting(e -> ((TextFormatException) e).reason()).isEqualTo(TextFormatException.Reason.TOO_MANY_KEYS);
    }

    @Test
    void aLoginTextWithMorePairsThanTheLimitFailsWithInitiatorError() {
        List<String> keys = new ArrayList<>(List.of("InitiatorName=" + INITIATOR, "TargetName=" + TARGET));
        keys.addAll(List.of(unknownKeys(TextLimits.DEFAULT.maxPairsPerText() - 1)));

        assertFails(fixture.machine(), request(0, 1, false, text(keys.toArray(String[]::new))),
                LoginStatus.INITIATOR_ERROR);
    }

    @Test
    void unknownKeysAtTheLimitAreEachAnsweredNotUnderstood() {
        List<String> keys = new ArrayList<>(List.of("InitiatorName=" + INITIATOR, "TargetName=" + TARGET));
        keys.addAll(List.of(unknownKeys(TextLimits.DEFAULT.maxPairsPerText() - 2)));

        LoginStep step = fixture.machine().onRequest(request(0, 1, false, text(keys.toArray(String[]::new))));

        assertThat(step.response().statusClass()).isZero();
        assertThat(keys(step.response())).containsEntry("X-vendor.key0", "NotUnderstood")
                .containsEntry("X-vendor.key125", "NotUnderstood");
    }

    @Test
    void aLoginCannotLoopOnUnknownKeysPastItsLimit() {
        fixture.policy = TargetPolicy.builder().textLimits(new TextLimits(64, 100, 8192)).build();
        LoginStateMachine login = fixture.machine();
        login.onRequest(request(0, 1, false, text("InitiatorName=" + INITIATOR, "TargetName=" + TARGET)))
                .response().release();
        login.onRequest(request(0, 1, false, text(unknownKeys(60)))).response().release();

        assertFails(login, request(0, 1, false, text(unknownKeys(60))), LoginStatus.INITIATOR_ERROR);
    }

    @Test
    void aValueLongerThanItsKindAllowsIsRejectedNotParsed() {
        assertThat(LoginKey.MAX_BURST_LENGTH.isValid("0".repeat(300))).isFalse();
        assertThat(LoginKey.HEADER_DIGEST.isValid("None," + "CRC32C,".repeat(400) + "None")).isFalse();
        assertThat(LoginKey.CHAP_R.isValid("0x" + "ab".repeat(1024))).isTrue();
        assertThat(LoginKey.CHAP_R.isValid("0x" + "ab".repeat(1025))).isFalse();
        assertThat(LoginKey.INITIATOR_NAME.isValid("iqn.2026-01.x:" + "a".repeat(223))).isFalse();
    }

    @Test
    void anOverLongOperationalValueIsAnsweredReject() {
        LoginStep step = fixture.machine().onRequest(request(1, 3, false, text("InitiatorName=" + INITIATOR,
                "TargetName=" + TARGET, "MaxBurstLength=" + "1".repeat(300))));

        assertThat(keys(step.response())).containsEntry("MaxBurstLength", "Reject");
    }

    @Test
    void limitsBelowTheRfcMinimumAreRefused() {
        assertThatThrownBy(() -> new TextLimits(128, 512, 4096)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TextLimits(128, 64, 65536)).isInstanceOf(IllegalArgumentException.class);
    }
}
