package io.vhba.docker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** docker/compose.yaml, read as YAML: its paths resolve and its disk lands in its volume. */
class ComposeFileTest {

    private static JsonNode vhba;
    private static JsonNode compose;

    @BeforeAll
    static void read() throws IOException {
        compose = new ObjectMapper(new YAMLFactory()).readTree(ModuleFiles.composeFile().toFile());
        vhba = compose.path("services").path("vhba");
        assertThat(vhba.isObject()).as("a service named vhba").isTrue();
    }

    @Test
    void buildsFromTheRepositoryRootWithThisDockerfile() {
        // Compose resolves the context against the compose file's directory, the Dockerfile against the context.
        Path context = ModuleFiles.moduleDir().resolve(vhba.path("build").path("context").asText()).normalize();
        assertThat(context).isEqualTo(ModuleFiles.repositoryRoot());
        assertThat(context.resolve(vhba.path("build").path("dockerfile").asText()).normalize())
                .isEqualTo(ModuleFiles.dockerfile());
    }

    @Test
    void publishesTheIscsiPort() {
        List<String> ports = new ArrayList<>();
        vhba.path("ports").forEach(p -> ports.add(p.asText()));
        assertThat(ports).containsExactly("3260:3260");
    }

    @Test
    void theManagementApiIsPublishedOnlyWithAToken() {
        // Without a token the API listens on the container's loopback only: publishing it would reach nothing.
        List<String> ports = new ArrayList<>();
        vhba.path("ports").forEach(p -> ports.add(p.asText()));
        JsonNode env = vhba.path("environment");
        boolean token = env.has("VHBA_HTTP_TOKEN") || env.has("VHBA_HTTP_TOKEN_FILE");
        assertThat(ports.stream().anyMatch(p -> p.endsWith(":9260"))).isEqualTo(token);
        assertThat(vhba.has("healthcheck")).as("the image's /health check applies").isFalse();
    }

    @Test
    void theBackingFileLivesInADeclaredNamedVolume() {
        Path file = Path.of(vhba.path("environment").path("VHBA_FILE").asText());
        assertThat(file.isAbsolute()).as("VHBA_FILE %s", file).isTrue();
        List<String> mounts = new ArrayList<>();
        vhba.path("volumes").forEach(v -> mounts.add(v.asText()));
        // A directory, not the file: the store writes <file>.map beside it.
        String mount = mounts.stream().filter(m -> m.endsWith(":" + file.getParent())).findFirst()
                .orElseThrow(() -> new AssertionError("no volume at " + file.getParent() + " in " + mounts));
        String volume = mount.substring(0, mount.indexOf(':'));
        assertThat(compose.path("volumes").has(volume)).as("top-level volume %s", volume).isTrue();
    }

    @Test
    void diskVariablesAreNotCombinedWithAConfigFile() {
        // The CLI rejects --config together with --size, --block-size or --file.
        JsonNode env = vhba.path("environment");
        if (env.has("VHBA_CONFIG")) {
            assertThat(env.has("VHBA_SIZE") || env.has("VHBA_BLOCK_SIZE") || env.has("VHBA_FILE")).isFalse();
        } else {
            assertThat(env.path("VHBA_SIZE").asText()).matches("\\d+[KMGT]");
            assertThat(env.path("VHBA_BLOCK_SIZE").asText()).isIn("512", "4096");
        }
    }
}
