package io.vhba.emulator.scsi.core.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Who gets in and which LUNs they see. */
class AccessControlListTest {
    private static final String GOOD = "iqn.2026-12.test:good";
    private static final String BAD = "iqn.2026-12.test:bad";
    private final AccessControlList acl = new AccessControlList(lun -> lun >= 0 && lun <= 3);

    @Test
    void anEmptyListLetsEveryoneSeeEverything() {
        assertThat(acl.isOpen()).isTrue();
        assertThat(acl.access(BAD)).contains(LunMask.ALL);
        assertThat(acl.mask(BAD).isAll()).isTrue();
    }

    @Test
    void anAllowListRefusesEveryInitiatorItDoesNotName() {
        acl.allow(GOOD);
        assertThat(acl.isOpen()).isFalse();
        assertThat(acl.admits(GOOD)).isTrue();
        assertThat(acl.admits(BAD)).isFalse();
        assertThat(acl.admits(GOOD + "2")).as("an exact name is not a prefix").isFalse();
        assertThat(acl.mask(BAD)).as("a session that outlived its rule sees nothing").isEqualTo(LunMask.NONE);
    }

    @Test
    void namesMatchCaseInsensitivelyAsStringprepLowersThem() {
        acl.allow("IQN.2026-12.Test:Good");
        assertThat(acl.admits(GOOD)).isTrue();
        assertThat(acl.admits("iqn.2026-12.TEST:GOOD")).isTrue();
        assertThat(acl.list()).singleElement().extracting(AclRule::initiator).hasToString(GOOD);
    }

    @Test
    void aStarSuffixAllowsAPrefixAndTheMostSpecificRuleDecidesTheLuns() {
        acl.allow("iqn.2026-12.test:*", List.of(0));
        acl.allow("iqn.2026-12.test:host*", List.of(1));
        acl.allow("iqn.2026-12.test:host7", List.of(2, 3));
        assertThat(acl.access("iqn.2026-12.test:other")).contains(LunMask.of(List.of(0)));
        assertThat(acl.access("iqn.2026-12.test:host1")).contains(LunMask.of(List.of(1)));
        assertThat(acl.access("iqn.2026-12.test:host7")).contains(LunMask.of(List.of(2, 3)));
        assertThat(acl.admits("iqn.2026-11.test:host7")).isFalse();
        assertThat(acl.mask("iqn.2026-12.test:host7").includes(1)).isFalse();
    }

    @Test
    void denyWinsOverAnyAllowAndAloneLeavesTheTargetOpenToOthers() {
        acl.deny(BAD);
        assertThat(acl.isOpen()).as("a deny-only list restricts nobody else").isTrue();
        assertThat(acl.admits(BAD)).isFalse();
        assertThat(acl.admits(GOOD)).isTrue();
        acl.allow("iqn.2026-12.test:*");
        assertThat(acl.admits(BAD)).isFalse();
        assertThat(acl.admits(GOOD)).isTrue();
    }

    @Test
    void allowingAPatternAgainReplacesItsRuleAndRevokeRemovesIt() {
        acl.allow(GOOD, List.of(0));
        acl.allow(GOOD, Set.of(1, 2));
        assertThat(acl.list()).hasSize(1);
        assertThat(acl.access(GOOD)).contains(LunMask.of(List.of(1, 2)));
        acl.deny(GOOD);
        assertThat(acl.list()).singleElement().isInstanceOf(AclRule.Deny.class);
        assertThat(acl.revoke(GOOD)).isTrue();
        assertThat(acl.revoke(GOOD)).isFalse();
        assertThat(acl.list()).isEmpty();
        assertThat(acl.admits(GOOD)).isTrue();
    }

    @Test
    void everyChangeIsAnnounced() {
        AtomicInteger changes = new AtomicInteger();
        acl.onChange(changes::incrementAndGet);
        acl.allow(GOOD);
        acl.deny(BAD);
        acl.revoke(BAD);
        acl.revoke(BAD); // nothing to remove: no change
        acl.replace(List.of());
        assertThat(changes).hasValue(4);
    }

    @Test
    void aMaskNamingALunTheTargetLacksIsRefused() {
        assertThatThrownBy(() -> acl.allow(GOOD, List.of(0, 9))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("LUN 9 is not a LUN of this target");
        assertThat(acl.list()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "host1", "iqn.26-12.test:x", "iqn.2026-12.test:a*b", "iqn.2026-12.test:a b", "eui.123",
            "naa.0123456789abcdeX", "**"})
    void badNamesAndPatternsAreRefusedWithAReason(String text) {
        assertThatThrownBy(() -> InitiatorPattern.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .message().isNotBlank().doesNotContain("\n");
    }

    @ParameterizedTest
    @ValueSource(strings = {"iqn.1991-05.com.microsoft:host.example.com", "iqn.2004-10.com.ubuntu:01:5a9c2c4ce5f",
            "eui.0123456789ABCDEF", "naa.52004567ba64678d", "naa.6001405abcdef0123456789abcdef012", "*", "iqn.*"})
    void realInitiatorNamesAndPrefixesParse(String text) {
        assertThat(InitiatorPattern.parse(text).matches(text.replace("*", "x"))).isTrue();
    }

    @Test
    void theListIsReadConsistentlyWhileItChanges() throws InterruptedException {
        acl.allow("iqn.2026-12.test:*", List.of(0));
        Thread writer = new Thread(() -> {
            for (int i = 0; i < 20_000; i++) {
                acl.allow(GOOD, List.of(i % 4));
                acl.revoke(GOOD);
            }
        });
        writer.start();
        for (int i = 0; i < 20_000; i++) {
            Optional<LunMask> m = acl.access(GOOD);
            assertThat(m).as("either the prefix rule or the exact one, never nothing").isPresent();
        }
        writer.join();
    }
}
