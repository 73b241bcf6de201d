package io.vhba.docker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Lint-style checks of docker/Dockerfile, by reading it: no Docker engine needed. */
class DockerfileTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** {@code image:tag} where the tag names a full release, e.g. 17.0.15_6-jre-noble, not 17-jre or latest. */
    private static final Pattern PINNED = Pattern.compile("([a-z0-9._/-]+):(\\d+\\.\\d+\\.\\d+[^\\s@:]*)(@sha256:[0-9a-f]{64})?");

    private static Dockerfile dockerfile;

    @BeforeAll
    static void read() throws IOException {
        dockerfile = Dockerfile.read(ModuleFiles.dockerfile());
    }

    private static List<String> execForm(String arguments) throws IOException {
        assertThat(arguments).as("exec (JSON array) form").startsWith("[");
        return JSON.readValue(arguments, new TypeReference<List<String>>() {});
    }

    /** Each COPY as destination -> sources; flags such as --chown dropped. */
    private static List<Map.Entry<String, List<String>>> copies() {
        return dockerfile.all("COPY").stream().map(i -> {
            List<String> words = Arrays.stream(i.arguments().split("\\s+")).filter(w -> !w.startsWith("--")).toList();
            assertThat(words).as("COPY at line %d: sources and a destination", i.line()).hasSizeGreaterThanOrEqualTo(2);
            return Map.entry(words.get(words.size() - 1), words.subList(0, words.size() - 1));
        }).toList();
    }

    /** Where a COPY puts {@code source} (relative to the build context) in the image. */
    private static String imagePathOf(String source) {
        for (Map.Entry<String, List<String>> c : copies()) {
            if (c.getValue().contains(source)) {
                String dest = c.getKey();
                return dest.endsWith("/") ? dest + Path.of(source).getFileName() : dest;
            }
        }
        throw new AssertionError("no COPY of " + source);
    }

    @Test
    void baseImageIsTheTemurin17JreAtAPinnedRelease() {
        List<Dockerfile.Instruction> from = dockerfile.all("FROM");
        assertThat(from).as("one stage: the jar is built by Maven, not in the image").hasSize(1);
        Matcher m = PINNED.matcher(from.get(0).arguments());
        assertThat(m.matches()).as("pinned tag: %s", from.get(0).arguments()).isTrue();
        assertThat(m.group(1)).isEqualTo("eclipse-temurin");
        assertThat(m.group(2)).startsWith("17.").contains("-jre");
    }

    @Test
    void runsAsANumericNonRootUser() {
        String user = dockerfile.last("USER").arguments();
        String uid = user.split(":")[0];
        assertThat(uid).as("numeric, so runAsNonRoot can verify it").matches("\\d+");
        assertThat(Integer.parseInt(uid)).isNotZero();
        assertThat(user).doesNotContain("root");
        // Nothing after USER may need root again.
        int userLine = dockerfile.last("USER").line();
        assertThat(dockerfile.all("RUN")).allSatisfy(r -> assertThat(r.line()).isLessThan(userLine));
    }

    @Test
    void copiesTheJarTheBuildProducesToWhereTheEntrypointLooks() {
        Path built = ModuleFiles.repositoryRoot().relativize(ModuleFiles.builtJar());
        assertThat(built.toString()).isEqualTo(ModuleFiles.BUILT_JAR);
        assertThat(imagePathOf(ModuleFiles.BUILT_JAR)).isEqualTo(ModuleFiles.IMAGE_JAR);
    }

    @Test
    void everyCopySourceExistsInTheBuildContext() {
        // The context is the repository root (`docker build -f docker/Dockerfile .`).
        List<String> sources = copies().stream().flatMap(c -> c.getValue().stream()).toList();
        assertThat(sources).contains("docker/entrypoint.sh", "docker/healthcheck.sh", ModuleFiles.BUILT_JAR)
                .allSatisfy(s -> assertThat(ModuleFiles.repositoryRoot().resolve(s)).isRegularFile());
        assertThat(dockerfile.all("ADD")).as("COPY, not ADD: no URLs, no auto-extraction").isEmpty();
    }

    @Test
    void entrypointIsTheScriptInExecForm() throws IOException {
        assertThat(dockerfile.all("ENTRYPOINT")).hasSize(1);
        assertThat(execForm(dockerfile.last("ENTRYPOINT").arguments()))
                .containsExactly(imagePathOf("docker/entrypoint.sh"));
        assertThat(dockerfile.all("CMD")).as("arguments come from `docker run`, appended by the script").isEmpty();
    }

    @Test
    void healthcheckRunsTheProbeScriptInExecForm() throws IOException {
        String args = dockerfile.last("HEALTHCHECK").arguments();
        Matcher m = Pattern.compile("((?:--[a-z-]+=\\S+\\s+)*)CMD\\s+(\\[.*])").matcher(args);
        assertThat(m.matches()).as("HEALTHCHECK [--option=value...] CMD [...]: %s", args).isTrue();
        assertThat(execForm(m.group(2))).containsExactly(imagePathOf("docker/healthcheck.sh"));
        Map<String, String> options = Arrays.stream(m.group(1).trim().split("\\s+"))
                .map(o -> o.substring(2).split("=", 2))
                .collect(Collectors.toMap(kv -> kv[0], kv -> kv[1]));
        assertThat(options).containsKeys("interval", "timeout", "retries");
    }

    @Test
    void exposesTheIscsiPort() {
        List<String> ports = dockerfile.all("EXPOSE").stream()
                .flatMap(e -> Arrays.stream(e.arguments().split("\\s+"))).toList();
        assertThat(ports).containsExactly("3260/tcp");
    }

    @Test
    void theScriptsAreExecutableInTheCheckoutToo() {
        // The Dockerfile chmods them anyway; this keeps `./entrypoint.sh` working from a checkout.
        assertThat(Files.isExecutable(ModuleFiles.entrypoint())).isTrue();
        assertThat(Files.isExecutable(ModuleFiles.healthcheck())).isTrue();
    }
}
