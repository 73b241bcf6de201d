package io.vhba.emulator.it;

import static io.vhba.emulator.it.CrashWorkload.BLOCK;
import static io.vhba.emulator.it.CrashWorkload.GRANULE;
import static org.assertj.core.api.Assertions.assertThat;

import io.vhba.emulator.it.CrashWorkload.BlockState;
import io.vhba.emulator.it.CrashWorkload.Writer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10 item 6: a file LUN keeps, across {@code kill -9} of the JVM, every write the initiator was told is durable.
 * The real {@code vhba.jar} serves two file LUNs: LUN 0 with its write cache on (durable = acknowledged with FUA, or
 * acknowledged before an acknowledged SYNCHRONIZE CACHE), LUN 1 with the write cache off and saved (MODE SELECT
 * WCE=0, SP=1: every acknowledged write and UNMAP is durable). Six sessions write: FUA writes; plain writes then
 * SYNCHRONIZE CACHE; FUA writes into granules never mapped (or deallocated and synchronized), which only the
 * allocation map's recovery can bring back; writes, UNMAP and WRITE SAME(16) UNMAP, partial and whole granules, with
 * and without a SYNCHRONIZE CACHE after; on LUN 1 plain writes and UNMAPs. At a random moment of the load the JVM gets
 * SIGKILL; it is restarted on the same files, and every block any session touched must hold its last durable content
 * or something written after it, whole (deallocated blocks read zeros: the LUN reports LBPRZ=1). The next iteration
 * writes on from there. {@code -Dvhba.crash.iterations=N} sets the number of kills (3 in the suite); the seed of
 * the load and of the kill times is printed with each iteration and can be replayed with {@code -Dvhba.crash.seed=S}.
 * A last clean stop (SIGTERM) and restart must find nothing to recover and the same blocks.
 */
class CrashSafeFileLunIT {
    private static final int ITERATIONS = Integer.getInteger("vhba.crash.iterations", 3);
    private static final long LOAD_SECONDS = 20;

    @TempDir
    Path dir;

    private final AtomicLong seqs = new AtomicLong();
    private final long seed = Long.getLong("vhba.crash.seed", System.nanoTime());
    private final Random random = new Random(seed);

    private String[] serveArgs() {
        return new String[] {"--processors", "2", "--file", dir.resolve("lun0.img").toString(), "--size", "64M",
                "--lun", "1,size=16M,file=" + dir.resolve("lun1.img")};
    }

    private List<Writer> writers() {
        List<Writer> w = new ArrayList<>();
        w.add(new Writer("fua", 0, 0, 64 * GRANULE, random.nextLong(), seqs) {
            @Override
            void step() throws IOException {
                long lba = first + random.nextInt((int) blocks);
                write(lba, count(lba, 16, end()), true, true);
            }
        });
        w.add(new Writer("sync", 0, 64 * GRANULE, 64 * GRANULE, random.nextLong(), seqs) {
            @Override
            void step() throws IOException {
                for (int i = 1 + random.nextInt(8); i > 0; i--) {
                    long lba = first + random.nextInt((int) blocks);
                    write(lba, count(lba, 16, end()), false, false);
                }
                synchronizeCache();
            }
        });
        w.add(new Writer("new-granules", 0, 128 * GRANULE, 32 * GRANULE, random.nextLong(), seqs) {
            private int granule;
            private boolean viaWriteSame;

            @Override
            void step() throws IOException {
                if (granule == blocks / GRANULE) { // every granule used: deallocate them all, durably, and go again
                    if (viaWriteSame) {
                        writeSameUnmap(first, blocks, false);
                    } else {
                        unmap(first, blocks, false);
                    }
                    synchronizeCache();
                    viaWriteSame = !viaWriteSame;
                    granule = 0;
                }
                long lba = first + (long) granule++ * GRANULE + random.nextInt(GRANULE - 8);
                write(lba, 1 + random.nextInt(8), true, true);
            }
        });
        w.add(new Writer("unmap", 0, 160 * GRANULE, 32 * GRANULE, random.nextLong(), seqs) {
            @Override
            void step() throws IOException {
                long granuleStart = first + (long) random.nextInt((int) (blocks / GRANULE)) * GRANULE;
                long lba = granuleStart + random.nextInt(GRANULE - 16);
                write(lba, 16, true, true);
                switch (random.nextInt(3)) {
                    case 0 -> unmap(granuleStart, GRANULE, false);          // the whole granule: the map forgets it
                    case 1 -> unmap(lba + 4, 8, false);                      // part of it: zeros written in place
                    default -> writeSameUnmap(granuleStart, GRANULE, false);
                }
                if (random.nextBoolean()) {
                    synchronizeCache();
                }
            }
        });
        w.add(new Writer("write-through", 1, 0, 64 * GRANULE, random.nextLong(), seqs) {
            @Override
            void step() throws IOException {
                long lba = first + random.nextInt((int) blocks);
                write(lba, count(lba, 16, end()), false, true);
            }
        });
        w.add(new Writer("write-through-unmap", 1, 64 * GRANULE, 32 * GRANULE, random.nextLong(), seqs) {
            @Override
            void step() throws IOException {
                long granuleStart = first + (long) random.nextInt((int) (blocks / GRANULE)) * GRANULE;
                long lba = granuleStart + random.nextInt(GRANULE - 16);
                write(lba, 16, false, true);
                if (random.nextBoolean()) {
                    unmap(granuleStart, GRANULE, true);
                } else {
                    unmap(lba + 2, 4, true);
                }
            }
        });
        return w;
    }

    @Test
    void everyBlockTheInitiatorWasToldIsDurableSurvivesKillDashNine() throws Exception {
        List<Writer> writers = writers();
        ChildTarget target = ChildTarget.start(dir.resolve("start-0.log"), 2, serveArgs());
        try {
            prepare(target);
            for (int iteration = 1; iteration <= ITERATIONS; iteration++) {
                Load load = load(target, writers);
                assertThat(target.isAlive()).as("iteration %d: the target was alive until the kill", iteration).isTrue();
                assertThat(target.kill()).as("killed by SIGKILL").isEqualTo(137);
                load.ended(writers);
                target = ChildTarget.start(dir.resolve("start-" + iteration + ".log"), 2, serveArgs());
                assertThat(target.log()).as("iteration %d: both LUNs recovered their maps", iteration)
                        .contains("lun0.img: not closed cleanly", "lun1.img: not closed cleanly");
                int verified = verify(target, writers);
                System.out.printf("crash iteration %d/%d (seed %d): %d block acknowledgements, %d blocks verified%n",
                        iteration, ITERATIONS, seed, load.acked(), verified);
            }
            assertThat(target.stop()).as("SIGTERM: a clean shutdown").isIn(0, 143);
            target = ChildTarget.start(dir.resolve("start-clean.log"), 2, serveArgs());
            assertThat(target.log()).as("after a clean stop there is nothing to recover").doesNotContain(
                    "not closed cleanly", "unusable");
            verify(target, writers);
        } finally {
            target.close();
        }
    }

    /** LUN 1's write cache off and saved; both LUNs thin with LBPRZ=1, which the zeros expected rely on. */
    private static void prepare(ChildTarget target) throws IOException {
        try (WireInitiator w = new WireInitiator(target.port())) {
            CrashWorkload.loginAndClearAttention(w, "iqn.2026-11.test:crash-setup", target.iqn(), 0);
            CrashWorkload.clearAttention(w, 1);
            for (int lun = 0; lun < 2; lun++) {
                WireInitiator.Answer vpd = w.command(lun, new byte[] {0x12, 1, (byte) 0xB2, 0, 64, 0}, null, 64);
                assertThat((vpd.data()[5] >>> 2) & 0x07).as("LUN %d VPD B2 LBPRZ", lun).isEqualTo(1);
            }
            byte[] caching = new byte[4 + 20];
            caching[4] = 0x08;
            caching[5] = 0x12; // caching page, WCE=0
            CrashWorkload.expectGood(w.command(1, new byte[] {0x15, 0x11, 0, 0, (byte) caching.length, 0}, caching, 0),
                    "MODE SELECT(6) PF SP WCE=0");
            assertWriteCache(w, 1, false);
            assertWriteCache(w, 0, true);
        }
    }

    private static void assertWriteCache(WireInitiator w, int lun, boolean enabled) throws IOException {
        WireInitiator.Answer sense = w.command(lun, new byte[] {0x1A, 0x08, 0x08, 0, (byte) 255, 0}, null, 255);
        assertThat((sense.data()[4 + 2] & 0x04) != 0).as("LUN %d WCE", lun).isEqualTo(enabled);
    }

    /** The writers' threads, running until their sessions end, and the acknowledgements they had by the kill. */
    private record Load(List<Thread> threads, long acked) {
        /** Waits for every writer to see its session end (the target is gone) and checks none failed before. */
        void ended(List<Writer> writers) throws InterruptedException {
            for (Thread t : threads) {
                t.join(TimeUnit.SECONDS.toMillis(30));
                assertThat(t.isAlive()).as(t.getName() + " ended with its session").isFalse();
            }
            for (Writer w : writers) {
                assertThat(w.failure).as(w.name + " failed before the kill").isNull();
                assertThat(w.acked).as(w.name + " had writes acknowledged").isPositive();
            }
        }
    }

    /** Starts the writers and returns once each has had some writes acknowledged, and a random while more. */
    private Load load(ChildTarget target, List<Writer> writers) throws InterruptedException {
        List<Thread> threads = new ArrayList<>();
        for (Writer w : writers) {
            Thread t = new Thread(w.against(target.port(), target.iqn()), "crash-" + w.name);
            t.start();
            threads.add(t);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(LOAD_SECONDS);
        while (writers.stream().anyMatch(w -> w.acked < 32 && w.failure == null) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        Thread.sleep(50 + random.nextInt(1500)); // the kill lands anywhere in the load
        return new Load(threads, writers.stream().mapToLong(w -> w.acked).sum());
    }

    /** Reads back every block the writers touched; returns how many. */
    private int verify(ChildTarget target, List<Writer> writers) throws Exception {
        List<String> wrong = new ArrayList<>();
        int verified = 0;
        try (WireInitiator r = new WireInitiator(target.port())) {
            CrashWorkload.loginAndClearAttention(r, "iqn.2026-11.test:crash-verify", target.iqn(), 0);
            CrashWorkload.clearAttention(r, 1);
            assertWriteCache(r, 1, false); // the saved caching page came back with the restart
            for (Writer w : writers) {
                List<Long> lbas = new ArrayList<>(w.model.keySet());
                for (int i = 0; i < lbas.size(); ) {
                    int j = i + 1;
                    while (j < lbas.size() && j - i < 128 && lbas.get(j) == lbas.get(j - 1) + 1) {
                        j++;
                    }
                    long lba = lbas.get(i);
                    int n = j - i;
                    WireInitiator.Answer a = r.command(w.lun, WireInitiator.read10(lba, n), null, n * BLOCK);
                    CrashWorkload.expectGood(a, "READ(10)");
                    for (int k = 0; k < n; k++) {
                        BlockState s = w.model.get(lba + k);
                        long found = CrashWorkload.identify(w.lun, lba + k, a.data(), k * BLOCK);
                        if (!s.allows(found)) {
                            wrong.add(String.format("%s LUN %d LBA %d holds %s; allowed: %s", w.name, w.lun, lba + k,
                                    found < 0 ? "a block no write made" : "write " + found, s));
                        }
                        w.settle(lba + k, found); // what survived is where the next iteration starts
                        verified++;
                    }
                    i = j;
                }
            }
        }
        assertThat(wrong).as("blocks that lost a durable write (seed " + seed + ")").isEmpty();
        return verified;
    }
}
