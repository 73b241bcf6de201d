package io.vhba.emulator.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import io.vhba.emulator.config.ControllerConfig;
import io.vhba.emulator.config.LunConfig;
import io.vhba.emulator.config.TargetConfig;
import io.vhba.emulator.config.VhbaConfig;
import io.vhba.emulator.storport.Adapter;
import io.vhba.emulator.storport.AdapterState;
import io.vhba.hw.DeviceModelProvider;
import io.vhba.miniport.MiniportDriver;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tutorial's project ({@code docs/writing-a-miniport.md}; its files are
 * {@code src/test/resources/external-miniport}) built the way a driver author builds it: Maven, offline,
 * against this build's {@code miniport-api} and {@code hardware-spi}, which are put into a private local
 * repository ({@code target/it-m2}; the shared {@code ~/.m2} is only read, for plugins). The jar is then
 * loaded with the driver path, as {@code serve --driver target/my-miniport.jar --miniport example} does,
 * and must pass part of the conformance subset and an fio verify run.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class ExternalMiniportIT {
    private static final List<String> SUITES = List.of("ALL.Inquiry", "ALL.ReadCapacity16", "ALL.Read10", "ALL.Write10",
            "ALL.TestUnitReady", "ALL.iSCSIResiduals");
    private static final Pattern VERSIONED = Pattern.compile("(.+)-(\\d[^/]*)\\.jar");

    @TempDir
    Path work;

    @Test
    void theTutorialProjectBuildsOfflineAndItsDriverPassesConformanceAndFioVerify() throws Exception {
        Path mvn = Peers.require("mvn", "apt-get install maven");
        Peers.require("iscsi-test-cu", "apt-get install libiscsi-bin");
        Fio.binary();

        Path project = copyProject(work.resolve("my-miniport"));
        Path repo = privateRepository(Path.of("target", "it-m2").toAbsolutePath());
        String version = versionOf(apiJar(MiniportDriver.class));
        Path settings = Files.writeString(work.resolve("settings.xml"), settings(sharedRepository()));

        long t0 = System.nanoTime();
        ProcessRun build = ProcessRun.run(300, mvn.toString(), "-B", "-q", "-o", "-f",
                project.resolve("pom.xml").toString(), "-s", settings.toString(), "-Dmaven.repo.local=" + repo,
                // offline, yet the shared repository is a file:// repository the build may read from
                "-Daether.offline.protocols=file", "-Dvhba.version=" + version, "package");
        long buildSeconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0);
        assertThat(build.exitCode()).as("the external build:\n" + build).isZero();
        Path jar = project.resolve("target/my-miniport.jar");
        assertThat(jar).isRegularFile();
        assertThat(buildSeconds).as("the offline external build").isLessThan(120);

        VhbaConfig config = VhbaConfig.builder().listen(List.of("127.0.0.1:0")).processors(2).hostMemory("512M")
                .miniport("example").controller(new ControllerConfig(null, null, null)).ioTimeoutSeconds(30).verifier(true)
                .nopInIntervalSeconds(0)
                .targets(List.of(new TargetConfig(TestTarget.IQN, "external", null,
                        List.of(new LunConfig(0, "256M", 512, false, true, false, null)))))
                .drivers(List.of(jar.toString())).build();
        try (TestTarget target = TestTarget.start(config)) {
            Adapter adapter = target.adapter();
            assertThat(adapter.name()).isEqualTo("example0");
            assertThat(target.vhba().devices()).as("a virtual miniport: no controller").isEmpty();

            for (String suite : SUITES) {
                List<String> expected = TestCu.list(suite).stream().map(t -> t.substring(t.lastIndexOf('.') + 1)).toList();
                TestCu.Result r = TestCu.run(120, suite, target.url());
                assertThat(expected).as("iscsi-test-cu --list knows " + suite).isNotEmpty();
                assertThat(r.with(TestCu.Verdict.PASS)).as(suite + "\n" + r.run().stdout()).containsExactlyInAnyOrderElementsOf(expected);
            }

            long completesBefore = adapter.counters().requestCompletes();
            Fio.Run r = Fio.run(90, target.url(), "--rw=randwrite", "--bs=4k", "--iodepth=16", "--size=64m",
                    "--verify=crc32c", "--verify_backlog=1024", "--verify_fatal=1", "--time_based", "--runtime=5",
                    "--randrepeat=0", "--verify_state_save=0");
            assertThat(r.process().exitCode()).as(r.process().toString()).isZero();
            assertThat(r.error()).isZero();
            assertThat(r.readBytes()).as("the backlog verification read data back").isGreaterThan(0);
            long ios = (r.writeBytes() + r.readBytes()) / 4096;
            assertThat(adapter.counters().requestCompletes() - completesBefore)
                    .as("the external miniport completed every fio I/O").isGreaterThanOrEqualTo(ios);
            assertThat(target.vhba().engine().verifier().bugChecks()).isEmpty();
            assertThat(adapter.state()).isEqualTo(AdapterState.RUNNING);
        }
    }

    /** A copy of the project from the test resources, as a user's checkout. */
    private static Path copyProject(Path to) throws IOException, URISyntaxException {
        Path from = Path.of(ExternalMiniportIT.class.getClassLoader().getResource("external-miniport/pom.xml").toURI()).getParent();
        try (Stream<Path> files = Files.walk(from)) {
            for (Path f : files.toList()) {
                Path dst = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(dst);
                } else if (!f.startsWith(from.resolve("target"))) {
                    Files.copy(f, dst, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        return to;
    }

    /**
     * What {@code mvn install -pl miniport-api,hardware-spi -am} would put into a local repository, written in
     * its layout: the parent POM, and each module's POM and jar from this build.
     */
    private static Path privateRepository(Path repo) throws IOException {
        Path api = apiJar(MiniportDriver.class);
        Path spi = apiJar(DeviceModelProvider.class);
        String version = versionOf(api);
        Path root = api.getParent().getParent().getParent();
        place(repo, "vhba-parent", version, root.resolve("pom.xml"), ".pom");
        for (Path jar : List.of(api, spi)) {
            String artifact = artifactOf(jar);
            place(repo, artifact, version, jar.getParent().getParent().resolve("pom.xml"), ".pom");
            place(repo, artifact, version, jar, ".jar");
        }
        return repo;
    }

    private static void place(Path repo, String artifact, String version, Path file, String extension) throws IOException {
        Path dir = Files.createDirectories(repo.resolve("io/vhba").resolve(artifact).resolve(version));
        Files.copy(file, dir.resolve(artifact + "-" + version + extension), StandardCopyOption.REPLACE_EXISTING);
    }

    /** The module jar this build packaged for the module holding {@code type}. */
    private static Path apiJar(Class<?> type) {
        try {
            Path p = Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (Files.isRegularFile(p) && VERSIONED.matcher(p.getFileName().toString()).matches()) {
                return p;
            }
            try (Stream<Path> s = Files.list(p.getParent())) { // target/classes -> target
                List<Path> jars = s.filter(j -> VERSIONED.matcher(j.getFileName().toString()).matches()
                        && !j.getFileName().toString().contains("-sources")).toList();
                if (jars.size() == 1) {
                    return jars.get(0);
                }
            }
            return fail("no packaged jar next to " + p + ": run the ITs through mvn verify");
        } catch (URISyntaxException | IOException e) {
            return fail("cannot locate the jar of " + type.getName() + ": " + e);
        }
    }

    private static String versionOf(Path jar) {
        Matcher m = VERSIONED.matcher(jar.getFileName().toString());
        return m.matches() && m.group(1).matches("miniport-api|hardware-spi") ? m.group(2) : fail("unexpected jar " + jar);
    }

    private static String artifactOf(Path jar) {
        Matcher m = VERSIONED.matcher(jar.getFileName().toString());
        return m.matches() ? m.group(1) : fail("unexpected jar " + jar);
    }

    /** The repository this machine's Maven builds use, read-only here: where the build plugins come from. */
    private static Path sharedRepository() {
        String v = System.getenv("VHBA_IT_SHARED_M2");
        return v == null || v.isEmpty() ? Path.of(System.getProperty("user.home"), ".m2", "repository") : Path.of(v);
    }

    private static String settings(Path shared) {
        String url = shared.toUri().toString();
        String repo = "<id>shared-m2</id><url>" + url + "</url><snapshots><enabled>false</enabled></snapshots>";
        return "<settings><profiles><profile><id>shared</id>"
                + "<repositories><repository>" + repo + "</repository></repositories>"
                + "<pluginRepositories><pluginRepository>" + repo + "</pluginRepository></pluginRepositories>"
                + "</profile></profiles><activeProfiles><activeProfile>shared</activeProfile></activeProfiles></settings>\n";
    }
}
