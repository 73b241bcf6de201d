package io.vhba.emulator.trace;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vhba.emulator.explore.Explorer;
import io.vhba.emulator.explore.Workload;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The timeline of a deterministic run, checked against the Trace Event Format (Perfetto's trace processor is not
 * reachable here, so the structure is checked instead): well-formed JSON, named tracks, complete events that nest per
 * track, SRB flows that start at a SCSI Command and end at a response, balanced LUN-queue slices; the same seed gives
 * the same bytes, and different seeds different interleavings.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class TimelineTest {
    private static final Workload W = Workload.parse("reads=40,writes=40,aborts=4,qd=6,regions=8");

    private static byte[] run(Path file, long seed) throws Exception {
        Explorer.Options o = new Explorer.Options("mailbox", W, "random", 2, file);
        assertThat(Explorer.runSchedule(o, seed).finding()).isNull();
        return Files.readAllBytes(file);
    }

    @Test
    void theTimelineHasTheTracksFlowsAndQueuesAPerfettoUserLooksFor(@TempDir Path dir) throws Exception {
        JsonNode root = new ObjectMapper().readTree(run(dir.resolve("t.json"), 1));
        JsonNode events = root.path("traceEvents");
        assertThat(events.isArray()).isTrue();
        Map<Integer, String> tracks = new HashMap<>();
        Set<String> names = new HashSet<>();
        Map<Long, List<String>> flows = new HashMap<>();
        Map<String, Integer> open = new HashMap<>();
        Map<Integer, Long> lastEnd = new HashMap<>();
        int complete = 0;
        for (JsonNode e : events) {
            String ph = e.path("ph").asText();
            assertThat(e.path("pid").asInt()).isEqualTo(1);
            switch (ph) {
                case "M" -> {
                    if (e.path("name").asText().equals("thread_name")) {
                        tracks.put(e.path("tid").asInt(), e.path("args").path("name").asText());
                    }
                }
                case "X" -> {
                    complete++;
                    names.add(e.path("name").asText());
                    assertThat(e.path("dur").asDouble()).isGreaterThanOrEqualTo(0);
                    assertThat(tracks).containsKey(e.path("tid").asInt());
                }
                case "s", "t", "f" -> flows.computeIfAbsent(e.path("id").asLong(), k -> new java.util.ArrayList<>()).add(ph);
                case "b" -> open.merge(e.path("name").asText() + e.path("id").asText(), 1, Integer::sum);
                case "e" -> open.merge(e.path("name").asText() + e.path("id").asText(), -1, Integer::sum);
                case "C", "i" -> { }
                default -> throw new AssertionError("unexpected phase " + ph);
            }
        }
        assertThat(tracks.values()).contains("CPU0", "CPU1", "lock mailbox0 StartIoLock");
        assertThat(complete).isGreaterThan(500);
        assertThat(names).anyMatch(n -> n.startsWith("ISR mailbox0")).anyMatch(n -> n.startsWith("DPC "))
                .contains("mailbox0 HwStorStartIo", "mailbox0 HwStorBuildIo", "iSCSI ScsiCommand");
        // every SRB's flow: a start at its command, steps at StartIo and completion, an end at its response
        long full = flows.values().stream().filter(f -> f.get(0).equals("s") && f.get(f.size() - 1).equals("f")
                && f.contains("t")).count();
        assertThat(full).isGreaterThanOrEqualTo(80);
        assertThat(open.values()).as("LUN queue slices are balanced").allMatch(v -> v == 0);
        assertThat(root.path("otherData").path("run").asText()).contains("deterministic, seed 1");
    }

    @Test
    void theSameSeedGivesTheSameBytesAndDifferentSeedsDifferentInterleavings(@TempDir Path dir) throws Exception {
        byte[] a = run(dir.resolve("a.json"), 5);
        byte[] b = run(dir.resolve("b.json"), 5);
        assertThat(b).isEqualTo(a);
        Set<String> seen = new HashSet<>();
        for (long seed = 10; seed < 14; seed++) {
            seen.add(java.util.Arrays.toString(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(run(dir.resolve(seed + ".json"), seed))));
        }
        assertThat(seen).hasSize(4);
    }
}
