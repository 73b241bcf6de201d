package io.vhba.emulator.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.vhba.emulator.config.ControllerConfig;
import io.vhba.emulator.config.DeterministicConfig;
import io.vhba.emulator.config.LunConfig;
import io.vhba.emulator.config.TargetConfig;
import io.vhba.emulator.config.VhbaConfig;
import io.vhba.emulator.record.RunSummary;
import io.vhba.emulator.runtime.Vhba;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A live deterministic run driven over a real socket, recorded, then replayed twice in this JVM with no network:
 * each replay ends at the recorded END with the live run's summary (steps, virtual time, SRBs, medium CRC32C).
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class DeterministicReplayIT {

    private static VhbaConfig config(String miniport, String record, String trace) {
        return new VhbaConfig(List.of("127.0.0.1:0"), 2, "256M", miniport, new ControllerConfig(null, null, null), 30, true,
                null, 0, null, List.of(new TargetConfig(TestTarget.IQN, "det", null,
                        List.of(new LunConfig(0, "16M", 512, false, true, false, null)))))
                .with(new DeterministicConfig(7L, null, record), new io.vhba.emulator.config.TraceConfig(trace, null));
    }

    @Test
    void aLiveRunReplaysToTheSameStepsTimeAndMedium(@TempDir Path dir) throws Exception {
        Path record = dir.resolve("run.vhbarec");
        RunSummary live;
        byte[] written = new byte[4096];
        new Random(1).nextBytes(written);
        Path liveTrace = dir.resolve("live.json");
        try (Vhba v = Vhba.start(config("mailbox", record.toString(), liveTrace.toString()))) {
            try (WireInitiator w = new WireInitiator(v.portals().get(0).getPort())) {
                w.login("iqn.2026-11.test:det", TestTarget.IQN).release();
                w.command(new byte[] {0x00, 0, 0, 0, 0, 0}, null, 0); // TEST UNIT READY: takes the login's unit attention
                for (int i = 0; i < 8; i++) {
                    WireInitiator.Answer a = w.command(write10(i * 8L, 8), written, 0);
                    assertThat(a.status()).isZero();
                }
                WireInitiator.Answer r = w.command(WireInitiator.read10(16, 8), null, 4096);
                assertThat(r.status()).isZero();
                assertThat(r.data()).isEqualTo(written);
            }
            live = v.awaitEnd();
        }
        assertThat(live.srbs()).isGreaterThanOrEqualTo(10);
        assertThat(live.bugChecks()).isEmpty();
        assertThat(record).exists();
        byte[] liveBytes = java.nio.file.Files.readAllBytes(liveTrace);
        String json = new String(liveBytes, java.nio.charset.StandardCharsets.UTF_8);
        for (String expected : List.of("HwStorStartIo\"", "\"ph\":\"s\"", "\"ph\":\"f\"", "\"CPU0\"", "\"CPU1\"")) {
            assertThat(json.contains(expected)).as("the timeline has %s", expected).isTrue();
        }
        for (int i = 0; i < 2; i++) {
            Path replayTrace = dir.resolve("replay" + i + ".json");
            try (Vhba replay = Vhba.replay(record, new io.vhba.emulator.config.TraceConfig(replayTrace.toString(), null))) {
                RunSummary s = replay.awaitEnd();
                assertThat(replay.halt()).isNull();
                assertThat(s).isEqualTo(live);
                assertThat(replay.recordedSummary()).isEqualTo(live);
            }
            assertThat(java.nio.file.Files.readAllBytes(replayTrace)).as("replay %d's timeline", i).isEqualTo(liveBytes);
        }
    }

    private static byte[] write10(long lba, int blocks) {
        byte[] cdb = WireInitiator.read10(lba, blocks);
        cdb[0] = 0x2A;
        return Arrays.copyOf(cdb, 10);
    }
}
