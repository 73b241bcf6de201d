package io.vhba.emulator.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The acceptance run of deterministic mode, through the CLI: {@code serve --deterministic --seed 7 --record --trace}
 * driven by fio (libiscsi, randrw 4k, QD8, fixed --randseed, 2,000 I/Os), stopped with SIGTERM; then {@code vhba
 * replay} twice with no initiator. Both replays end with the live run's summary, their timelines are byte-identical to
 * the live one, and the LUN they leave is the same image.
 */
@Timeout(value = 900, unit = TimeUnit.SECONDS)
class DeterministicFioReplayIT {
    private static final Path JAR = Path.of("target/vhba.jar");

    @Test
    void aFioRunRecordedLiveReplaysTwiceToTheSameTimelineAndMedium(@TempDir Path dir) throws Exception {
        Path fio = Fio.binary();
        Path record = dir.resolve("r.vhbarec");
        Path live = dir.resolve("a.json");
        List<String> serve = new ArrayList<>(List.of(java(), "-jar", JAR.toString(), "serve", "--deterministic", "--seed", "7",
                "--record", record.toString(), "--trace", live.toString(), "--listen", "127.0.0.1:0", "--size", "64M",
                "--processors", "2"));
        Process target = new ProcessBuilder(serve).redirectError(dir.resolve("serve.err").toFile()).start();
        String url;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(target.getInputStream(), StandardCharsets.UTF_8))) {
            url = out.readLine();
            assertThat(url).as("serve printed its URL").startsWith("iscsi://127.0.0.1:");
            Fio.Run run = Fio.run(600, url, "--rw=randrw", "--bs=4k", "--iodepth=8", "--size=64m", "--randseed=1234",
                    "--number_ios=2000");
            assertThat(run.error()).as("fio: %s", run.process()).isZero();
            assertThat(run.readBytes() + run.writeBytes()).isEqualTo(2000L * 4096);
        } finally {
            target.destroy(); // SIGTERM: the shutdown hook ends the run, writes END, the trace and the summary
            assertThat(target.waitFor(120, TimeUnit.SECONDS)).isTrue();
        }
        String serveErr = Files.readString(dir.resolve("serve.err"));
        String liveCrc = line(serveErr, "CRC32C");
        assertThat(liveCrc).as("the live run's summary on stderr:%n%s", tail(serveErr)).isNotNull();
        assertThat(record).exists();
        byte[] liveTimeline = Files.readAllBytes(live);
        assertThat(liveTimeline.length).isGreaterThan(100_000);

        byte[] firstImage = null;
        for (int i = 0; i < 2; i++) {
            Path b = dir.resolve("b" + i + ".json");
            Path image = dir.resolve("lun" + i + ".img");
            ProcessRun replay = ProcessRun.run(600, java(), "-jar", JAR.toString(), "replay", record.toString(), "--trace",
                    b.toString(), "--dump-lun", "0:" + image);
            assertThat(replay.exitCode()).as("replay %d: %s", i, replay).isZero();
            assertThat(replay.stdout()).contains("replay matches the record");
            assertThat(line(replay.stdout(), "CRC32C")).isEqualTo(liveCrc.replaceFirst("^vhba: ", ""));
            assertThat(Files.readAllBytes(b)).as("replay %d's timeline is the live one, byte for byte", i).isEqualTo(liveTimeline);
            byte[] img = Files.readAllBytes(image);
            if (firstImage == null) {
                firstImage = img;
            } else {
                assertThat(img).as("both replays leave the same LUN").isEqualTo(firstImage);
            }
        }
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static String line(String text, String containing) {
        return text.lines().filter(l -> l.contains(containing)).findFirst().orElse(null);
    }

    private static String tail(String s) {
        return s.length() > 4000 ? s.substring(s.length() - 4000) : s;
    }
}
