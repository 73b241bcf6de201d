package io.vhba.emulator.management;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vhba.emulator.config.ConfigException;
import io.vhba.emulator.config.HttpConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ManagementSettingsTest {
    @TempDir
    Path dir;

    @Test
    void loopbackNeedsNoToken() {
        ManagementSettings s = ManagementSettings.resolve(new HttpConfig("127.0.0.1:0", null), Map.<String, String>of()::get);
        assertThat(s.token()).isNull();
        assertThat(s.listen().port()).isZero();
    }

    @Test
    void anyOtherAddressNeedsATokenAndSaysWhereToGiveIt() {
        assertThatThrownBy(() -> ManagementSettings.resolve(new HttpConfig("0.0.0.0:9260", null), Map.<String, String>of()::get))
                .isInstanceOf(ConfigException.class)
                .hasMessage("http: 0.0.0.0:9260 is not a loopback address, so the API needs a token: --http-token-file FILE "
                        + "(http.tokenFile) or the environment variable VHBA_HTTP_TOKEN");
    }

    @Test
    void theTokenComesFromTheFileBeforeTheEnvironment() throws Exception {
        Path f = Files.writeString(dir.resolve("token"), "from-file\nsecond line ignored\n");
        ManagementSettings s = ManagementSettings.resolve(new HttpConfig("0.0.0.0:0", f.toString()),
                Map.of(HttpConfig.TOKEN_ENV, "from-env")::get);
        assertThat(s.token().matches("Bearer from-file")).isTrue();
        assertThat(s.token().matches("Bearer from-env")).isFalse();

        ManagementSettings e = ManagementSettings.resolve(new HttpConfig("0.0.0.0:0", null),
                Map.of(HttpConfig.TOKEN_ENV, "from-env")::get);
        assertThat(e.token().matches("Bearer from-env")).isTrue();
    }

    @Test
    void aBadTokenFileIsNamedWithoutItsContent() throws Exception {
        Path empty = Files.writeString(dir.resolve("empty"), "\n");
        assertThatThrownBy(() -> ManagementSettings.resolve(new HttpConfig("127.0.0.1:0", empty.toString()), k -> null))
                .hasMessage("http token file " + empty + ": the first line is empty");
        Path missing = dir.resolve("missing");
        assertThatThrownBy(() -> ManagementSettings.resolve(new HttpConfig("127.0.0.1:0", missing.toString()), k -> null))
                .hasMessage("http token file " + missing + ": cannot read it (NoSuchFileException)");
        assertThatThrownBy(() -> ManagementSettings.resolve(new HttpConfig("127.0.0.1", null), k -> null))
                .hasMessage("http.listen: '127.0.0.1' is not HOST:PORT");
    }
}
