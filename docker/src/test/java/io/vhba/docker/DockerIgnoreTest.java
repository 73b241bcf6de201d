package io.vhba.docker;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The repository root's .dockerignore: the build context holds the sources, not what builds and tools leave behind. */
class DockerIgnoreTest {

    private static DockerIgnore ignore;

    @BeforeAll
    static void read() throws IOException {
        ignore = DockerIgnore.read(ModuleFiles.dockerignore());
    }

    @Test
    void namesBuildOutputVersionControlBenchOutputAndIdeFiles() {
        assertThat(ignore.patterns()).contains("**/target", ".git", "bench/out", "**/.idea", "**/*.iml", "**/.vscode");
    }

    @Test
    void leavesOutWhatItShould() {
        assertThat(List.of("target", "emulator/target/vhba.jar", "docker/target/surefire-reports/x.txt", ".git", ".git/HEAD",
                "bench/out/randread.json", ".idea/workspace.xml", "emulator/.idea/misc.xml", "emulator/emulator.iml",
                "vhba.log", "emulator/fio-verify.log", "x-verify.state", ".vscode/settings.json"))
                .allSatisfy(p -> assertThat(ignore.excludes(p)).as(p).isTrue());
    }

    @Test
    void keepsEverySourceFileOfTheCheckout() throws IOException {
        Path root = ModuleFiles.repositoryRoot();
        long checked = 0;
        for (String module : Poms.modules()) {
            assertThat(ignore.excludes(module + "/pom.xml")).as(module).isFalse();
            Path src = root.resolve(module).resolve("src");
            if (Files.isDirectory(src)) {
                try (Stream<Path> files = Files.walk(src)) {
                    List<String> sources = files.filter(Files::isRegularFile).map(f -> root.relativize(f).toString()).toList();
                    assertThat(sources).noneMatch(ignore::excludes);
                    checked += sources.size();
                }
            }
        }
        assertThat(checked).as("source files checked").isGreaterThan(100);
        assertThat(List.of("pom.xml", "docker/Dockerfile", "docker/entrypoint.sh", "docker/healthcheck.sh", "bench/side-by-side.sh"))
                .noneMatch(ignore::excludes);
    }
}
