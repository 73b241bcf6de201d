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
    private static final String BUILD = "build";

    private static Dockerfile dockerfile;
    /** The stage that compiles the jar, and the one the image is made of. */
    private static Dockerfile build;
    private static Dockerfile runtime;

    @BeforeAll
    static void read() throws IOException {
        dockerfile = Dockerfile.read(ModuleFiles.dockerfile());
        List<Dockerfile> stages = dockerfile.stages();
        assertThat(stages).as("two stages: Maven builds the jar, a JRE runs it").hasSize(2);
        build = stages.get(0);
        runtime = stages.get(1);
    }

    private static List<String> execForm(String arguments) throws IOException {
        assertThat(arguments).as("exec (JSON array) form").startsWith("[");
        return JSON.readValue(arguments, new TypeReference<List<String>>() {});
    }

    /** One COPY: its --from stage (or null for the build context), sources, destination. */
    private record Copy(String from, List<String> sources, String destination) {}

    private static List<Copy> copies(Dockerfile stage) {
        return stage.all("COPY").stream().map(i -> {
            List<String> words = Arrays.asList(i.arguments().split("\\s+"));
            String from = words.stream().filter(w -> w.startsWith("--from=")).map(w -> w.substring(7)).findFirst().orElse(null);
            List<String> paths = words.stream().filter(w -> !w.startsWith("--")).toList();
            assertThat(paths).as("COPY at line %d: sources and a destination", i.line()).hasSizeGreaterThanOrEqualTo(2);
            return new Copy(from, paths.subList(0, paths.size() - 1), paths.get(paths.size() - 1));
        }).toList();
    }

    /** Where a COPY of {@code stage} puts {@code source} in its file system. */
    private static String destinationOf(Dockerfile stage, String source) {
        for (Copy c : copies(stage)) {
            if (c.sources().contains(source)) {
                return c.destination().endsWith("/") ? c.destination() + Path.of(source).getFileName() : c.destination();
            }
        }
        throw new AssertionError("no COPY of " + source);
    }

    private static void assertPinned(Dockerfile stage, String image, String tagStart, String tagPart) {
        Matcher m = PINNED.matcher(stage.baseImage());
        assertThat(m.matches()).as("pinned tag: %s", stage.baseImage()).isTrue();
        assertThat(m.group(1)).isEqualTo(image);
        assertThat(m.group(2)).startsWith(tagStart).contains(tagPart);
    }

    @Test
    void theBuildStageIsMavenOnAJdk17AtAPinnedRelease() {
        assertThat(build.stageName()).isEqualTo(BUILD);
        assertPinned(build, "maven", "3.9.", "-eclipse-temurin-17");
    }

    @Test
    void theImageIsTheTemurin17JreAtAPinnedRelease() {
        assertPinned(runtime, "eclipse-temurin", "17.", "-jre");
    }

    @Test
    void theBuildStageCopiesEveryModulePomAndTheSourcesOfTheEmulatorsModules() {
        List<String> sources = copies(build).stream().flatMap(c -> c.sources().stream()).toList();
        // Maven reads every module of the reactor, even to build a part of it.
        assertThat(sources).contains("pom.xml");
        assertThat(Poms.modules()).isNotEmpty().allSatisfy(m -> assertThat(sources).contains(m + "/pom.xml"));
        assertThat(Poms.withDependencies("emulator")).contains("emulator", "miniport-api", "sample-miniports")
                .allSatisfy(m -> assertThat(sources).contains(m + "/src"));
    }

    @Test
    void theBuildStageFetchesDependenciesFromThePomsAloneThenBuildsOffline() {
        List<Dockerfile.Instruction> runs = build.all("RUN");
        assertThat(runs).hasSize(2);
        int firstSource = build.all("COPY").stream().filter(c -> c.arguments().contains("/src ")).findFirst()
                .orElseThrow().line();
        assertThat(runs.get(0).line()).as("the dependency layer comes before any source").isLessThan(firstSource);
        String mvn = "mvn -B -q -pl emulator -am package -Dmaven.test.skip=true";
        assertThat(runs.get(0).arguments()).isEqualTo(mvn);
        assertThat(runs.get(1).arguments()).isEqualTo(mvn.replace("-q", "-q -o"));
    }

    @Test
    void theImageTakesTheJarTheBuildStageProducedToWhereTheEntrypointLooks() {
        String workdir = build.last("WORKDIR").arguments();
        List<Copy> fromBuild = copies(runtime).stream().filter(c -> BUILD.equals(c.from())).toList();
        assertThat(fromBuild).singleElement().satisfies(c -> {
            assertThat(c.sources()).containsExactly(workdir + "/" + ModuleFiles.BUILT_JAR);
            assertThat(c.destination()).isEqualTo(ModuleFiles.IMAGE_JAR);
        });
        assertThat(ModuleFiles.repositoryRoot().relativize(ModuleFiles.builtJar()).toString()).isEqualTo(ModuleFiles.BUILT_JAR);
    }

    @Test
    void everyCopySourceExistsInTheBuildContextAndIsNotIgnored() throws IOException {
        // The context is the repository root (`docker build -f docker/Dockerfile .`), minus .dockerignore.
        DockerIgnore ignore = DockerIgnore.read(ModuleFiles.dockerignore());
        List<String> sources = dockerfile.stages().stream().flatMap(s -> copies(s).stream())
                .filter(c -> c.from() == null).flatMap(c -> c.sources().stream()).toList();
        assertThat(sources).contains("docker/entrypoint.sh", "docker/healthcheck.sh", "emulator/src")
                .allSatisfy(s -> {
                    assertThat(ModuleFiles.repositoryRoot().resolve(s)).exists();
                    assertThat(ignore.excludes(s)).as("%s excluded by .dockerignore", s).isFalse();
                });
        assertThat(ignore.excludes("docker/Dockerfile")).isFalse();
        assertThat(dockerfile.all("ADD")).as("COPY, not ADD: no URLs, no auto-extraction").isEmpty();
    }

    @Test
    void runsAsANumericNonRootUser() {
        String user = runtime.last("USER").arguments();
        String uid = user.split(":")[0];
        assertThat(uid).as("numeric, so runAsNonRoot can verify it").matches("\\d+");
        assertThat(Integer.parseInt(uid)).isNotZero();
        assertThat(user).doesNotContain("root");
        // Nothing after USER may need root again.
        int userLine = runtime.last("USER").line();
        assertThat(runtime.all("RUN")).allSatisfy(r -> assertThat(r.line()).isLessThan(userLine));
    }

    @Test
    void entrypointIsTheScriptInExecForm() throws IOException {
        assertThat(dockerfile.all("ENTRYPOINT")).hasSize(1);
        assertThat(execForm(runtime.last("ENTRYPOINT").arguments()))
                .containsExactly(destinationOf(runtime, "docker/entrypoint.sh"));
        assertThat(dockerfile.all("CMD")).as("arguments come from `docker run`, appended by the script").isEmpty();
    }

    @Test
    void healthcheckRunsTheProbeScriptInExecForm() throws IOException {
        String args = runtime.last("HEALTHCHECK").arguments();
        Matcher m = Pattern.compile("((?:--[a-z-]+=\\S+\\s+)*)CMD\\s+(\\[.*])").matcher(args);
        assertThat(m.matches()).as("HEALTHCHECK [--option=value...] CMD [...]: %s", args).isTrue();
        assertThat(execForm(m.group(2))).containsExactly(destinationOf(runtime, "docker/healthcheck.sh"));
        Map<String, String> options = Arrays.stream(m.group(1).trim().split("\\s+"))
                .map(o -> o.substring(2).split("=", 2))
                .collect(Collectors.toMap(kv -> kv[0], kv -> kv[1]));
        assertThat(options).containsKeys("interval", "timeout", "retries");
        // The script waits up to 2 s for the status line and 2 s for the rest; Docker must not kill it first.
        assertThat(options.get("timeout")).isEqualTo("5s");
    }

    @Test
    void exposesTheIscsiPortAndTheManagementPort() {
        List<String> ports = runtime.all("EXPOSE").stream()
                .flatMap(e -> Arrays.stream(e.arguments().split("\\s+"))).toList();
        assertThat(ports).containsExactly("3260/tcp", "9260/tcp");
    }

    @Test
    void theScriptsAreExecutableInTheCheckoutToo() {
        // The Dockerfile chmods them anyway; this keeps `./entrypoint.sh` working from a checkout.
        assertThat(Files.isExecutable(ModuleFiles.entrypoint())).isTrue();
        assertThat(Files.isExecutable(ModuleFiles.healthcheck())).isTrue();
    }
}
