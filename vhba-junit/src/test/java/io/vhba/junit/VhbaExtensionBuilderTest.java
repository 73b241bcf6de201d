package io.vhba.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vhba.emulator.config.LunConfig;
import io.vhba.emulator.config.TargetConfig;
import io.vhba.emulator.config.VhbaConfig;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** What the builder makes of its settings, and how it refuses bad ones: no target is started here. */
class VhbaExtensionBuilderTest {

    private static final String SECRET = "a-long-secret-1";

    @Test
    void theConfigurationListensOnLoopbackAtAnEphemeralPortWithTheGivenDisks() {
        VhbaConfig c = VhbaExtension.builder().iqn("iqn.2026-11.io.vhba.test:b").lun(0, "64M").lun(1, "8M", 4096)
                .readOnlyLun(2, "1G").miniport("virtual").processors(3).ioTimeout(Duration.ofSeconds(5)).build().config();
        assertThat(c.listen()).containsExactly("127.0.0.1:0");
        assertThat(c.miniport()).isEqualTo("virtual");
        assertThat(c.processors()).isEqualTo(3);
        assertThat(c.ioTimeoutSeconds()).isEqualTo(5);
        TargetConfig t = c.targets().get(0);
        assertThat(t.iqn()).isEqualTo("iqn.2026-11.io.vhba.test:b");
        assertThat(t.chap()).isNull();
        assertThat(t.luns()).extracting(LunConfig::lun, LunConfig::size, LunConfig::blockSize, LunConfig::readOnly)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(0, "64M", 512, false),
                        org.assertj.core.groups.Tuple.tuple(1, "8M", 4096, false),
                        org.assertj.core.groups.Tuple.tuple(2, "1G", 512, true));
    }

    @Test
    void withoutLunsTheTargetHasTheFileFormatsDefaultDiskAndTheDefaultsOfATest() {
        VhbaConfig c = VhbaExtension.builder().build().config();
        assertThat(c.targets()).singleElement().satisfies(t -> {
            assertThat(t.iqn()).isEqualTo(VhbaConfig.DEFAULT_IQN);
            assertThat(t.luns()).extracting(LunConfig::lun, LunConfig::size)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple(0, "1G"));
        });
        assertThat(c.miniport()).isEqualTo("mailbox");
        assertThat(c.processors()).isEqualTo(2);
        assertThat(c.ioTimeoutSeconds()).isEqualTo(VhbaConfig.defaults().ioTimeoutSeconds());
    }

    @Test
    void chapSecretsReachTheConfigurationButNoMessage() {
        VhbaConfig c = VhbaExtension.builder().chap("host1", SECRET).mutualChap("target1", "another-secret-2").build().config();
        assertThat(c.targets().get(0).chap().user()).isEqualTo("host1");
        assertThat(c.targets().get(0).chap().secret()).isEqualTo(SECRET);
        assertThat(c.targets().get(0).chap().mutualSecret()).isEqualTo("another-secret-2");
        assertThat(c.toString()).doesNotContain(SECRET, "another-secret-2");

        assertThatThrownBy(() -> VhbaExtension.builder().chap("host1", "short").build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least 12 are required").hasMessageNotContaining("short");
        assertThatThrownBy(() -> VhbaExtension.builder().mutualChap("t", SECRET)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aBadSettingIsRefusedAtBuildWithOneLineNamingIt() {
        assertRefused(VhbaExtension.builder().lun(0, "64Q"), "'64Q' is not a size");
        assertRefused(VhbaExtension.builder().lun(0, "64M", 1000), "blockSize: 1000 is not 512 or 4096");
        assertRefused(VhbaExtension.builder().lun(0, "64M").lun(0, "8M"), "LUN 0 is defined twice");
        assertRefused(VhbaExtension.builder().lun(256, "64M"), "lun: 256 is outside 0..255");
        assertRefused(VhbaExtension.builder().iqn("Not-An-Iqn"), "is not an iSCSI name");
        assertRefused(VhbaExtension.builder().processors(0), "processors: 0 is outside 1..64");
        assertRefused(VhbaExtension.builder().ioTimeout(Duration.ofMillis(1500)), "ioTimeout: PT1.5S is not a positive whole number");
        assertRefused(VhbaExtension.builder().fault("medium-error,lun=0"), "medium-error");
        assertRefused(VhbaExtension.builder().fault("no-such-fault"), "no-such-fault");
    }

    private static void assertRefused(VhbaExtension.Builder b, String reason) {
        assertThatThrownBy(b::build).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("VhbaExtension: ").hasMessageContaining(reason)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @Test
    void theHandleIsOnlyThereWhileTheTargetRuns() {
        VhbaExtension e = VhbaExtension.builder().build();
        assertThatThrownBy(e::handle).isInstanceOf(IllegalStateException.class).hasMessageContaining("not running");
    }
}
