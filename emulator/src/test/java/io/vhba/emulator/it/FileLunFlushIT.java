package io.vhba.emulator.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.vhba.emulator.config.ControllerConfig;
import io.vhba.emulator.config.LunConfig;
import io.vhba.emulator.config.TargetConfig;
import io.vhba.emulator.config.VhbaConfig;
import io.vhba.emulator.storport.Adapter;
import io.vhba.emulator.storport.AdapterState;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A file LUN's FUA writes, SYNCHRONIZE CACHE and write-through writes get their status from the store's flush thread
 * (issue 11 item 1: no fsync on an event loop), after the controller has returned from the doorbell. Every sample
 * controller must carry such a late answer to a normal completion: the mailbox and half-duplex controllers from the
 * flush thread, the virtual miniport through its DPC. Four sessions at once, so flushes are shared (group commit).
 */
class FileLunFlushIT {
    private static final int SESSIONS = 4;
    private static final int WRITES = 40;

    @TempDir
    Path dir;

    private TestTarget start(String miniport, String mode) {
        return TestTarget.start(new VhbaConfig(List.of("127.0.0.1:0"), 2, "256M", miniport,
                new ControllerConfig(mode, mode.equals("threaded") ? 50L : null, null), 30, true, null, 0, null,
                List.of(new TargetConfig(TestTarget.IQN, "vhba-flush", null,
                        List.of(new LunConfig(0, "32M", 512, false, true, false, dir.resolve("lun.img").toString()))))));
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"mailbox, inline", "mailbox, threaded", "halfduplex, inline", "halfduplex, threaded", "virtual, inline"})
    void durableCommandsAreAnsweredLateThroughEveryMiniport(String miniport, String mode) throws Exception {
        try (TestTarget target = start(miniport, mode)) {
            Adapter adapter = target.adapter();
            long completesBefore = adapter.counters().requestCompletes();
            AtomicLong seqs = new AtomicLong();
            List<CompletableFuture<Void>> sessions = new ArrayList<>();
            for (int s = 0; s < SESSIONS; s++) {
                int session = s;
                sessions.add(CompletableFuture.runAsync(() -> run(target, session, seqs)));
            }
            CompletableFuture.allOf(sessions.toArray(new CompletableFuture[0])).get(120, TimeUnit.SECONDS);

            assertThat(Thread.getAllStackTraces().keySet()).as("the flushes ran on the store's own thread")
                    .anyMatch(t -> t.getName().equals("vhba-flush-lun.img"));
            assertThat(adapter.counters().requestCompletes() - completesBefore)
                    .as("every command went through the %s miniport", miniport)
                    .isGreaterThanOrEqualTo((long) SESSIONS * (WRITES + 2));
            assertThat(adapter.state()).isEqualTo(AdapterState.RUNNING);
            assertThat(target.vhba().engine().verifier().bugChecks()).isEmpty();
        }
    }

    /** One session: FUA writes, plain writes and a SYNCHRONIZE CACHE, all read back. */
    private static void run(TestTarget target, int session, AtomicLong seqs) {
        try (WireInitiator w = new WireInitiator(target.port())) {
            w.setReceiveTimeout(30_000);
            CrashWorkload.loginAndClearAttention(w, "iqn.2026-11.test:flush-" + session, TestTarget.IQN, 0);
            long base = session * 2048L;
            long[] written = new long[WRITES];
            for (int i = 0; i < WRITES; i++) {
                long lba = base + i * 8L;
                long seq = seqs.incrementAndGet();
                written[i] = seq;
                byte[] out = CrashWorkload.content(0, lba, seq);
                boolean fua = i % 2 == 0;
                byte[] cdb = {0x2A, (byte) (fua ? 0x08 : 0), 0, 0, (byte) (lba >>> 8), (byte) lba, 0, 0, 1, 0};
                CrashWorkload.expectGood(w.command(cdb, out, 0), "WRITE(10)");
            }
            CrashWorkload.expectGood(w.command(new byte[] {0x35, 0, 0, 0, 0, 0, 0, 0, 0, 0}, null, 0), "SYNCHRONIZE CACHE");
            for (int i = 0; i < WRITES; i++) {
                long lba = base + i * 8L;
                WireInitiator.Answer a = w.command(WireInitiator.read10(lba, 1), null, 512);
                CrashWorkload.expectGood(a, "READ(10)");
                assertThat(CrashWorkload.identify(0, lba, a.data(), 0)).as("LBA %d", lba).isEqualTo(written[i]);
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
