package io.vhba.emulator.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The conformance example configuration, and the physicalBlockSize setting it uses. */
class ConformanceConfigTest {

    @TempDir
    Path dir;

    static Path resource(String name) throws URISyntaxException {
        return Path.of(ConformanceConfigTest.class.getClassLoader().getResource(name).toURI());
    }

    @Test
    void conformanceYamlLoadsWithARemovable512eThinLunAndAReadOnlyLun() throws Exception {
        VhbaConfig c = ConfigLoader.load(resource("conformance.yaml"));
        assertThat(c.targets()).hasSize(1);
        TargetConfig t = c.targets().get(0);
        assertThat(t.iqn()).isEqualTo("iqn.2026-11.io.vhba:conformance");
        assertThat(t.luns()).containsExactly(
                new LunConfig(0, "256M", 512, 512, false, true, true, null, "32M"),
                new LunConfig(1, "64M", 512, 4096, true, true, false, null));
        assertThat(t.luns().get(0).sizeBytes("lun0")).isEqualTo(256L << 20);
        assertThat(t.luns().get(0).overwriteRateBytes("lun0")).as("8 s per SANITIZE OVERWRITE pass").isEqualTo(32L << 20);
    }

    @Test
    void physicalBlockSizeDefaultsTo4096OrTheLogicalBlockSize() {
        assertThat(new LunConfig(0, "1M", 512, null, null, null, null).physicalBlockSize()).isEqualTo(4096);
        assertThat(new LunConfig(0, "1M", 4096, null, null, null, null).physicalBlockSize()).isEqualTo(4096);
        assertThat(new LunConfig(0, "1M", 512, 512, null, null, null, null).physicalBlockSize()).isEqualTo(512);
    }

    @Test
    void aPhysicalBlockSizeThatIsNotAPowerOfTwoMultipleIsRefusedWithItsPath() throws Exception {
        for (String bad : new String[] {"256", "1536", "3072", "33554432"}) {
            Path f = dir.resolve("bad" + bad + ".yaml");
            Files.writeString(f, "targets:\n  - iqn: iqn.2026-11.io.vhba:t\n    luns:\n"
                    + "      - lun: 0\n        size: 1M\n        physicalBlockSize: " + bad + "\n");
            assertThatThrownBy(() -> ConfigLoader.load(f)).isInstanceOf(ConfigException.class)
                    .hasMessageContaining("targets[0].luns[0].physicalBlockSize: " + bad);
        }
        Path ok = dir.resolve("ok.yaml");
        Files.writeString(ok, "targets:\n  - iqn: iqn.2026-11.io.vhba:t\n    luns:\n"
                + "      - lun: 0\n        size: 1M\n        physicalBlockSize: 65536\n");
        assertThat(ConfigLoader.load(ok).targets().get(0).luns().get(0).physicalBlockSize()).isEqualTo(65536);
    }
}
