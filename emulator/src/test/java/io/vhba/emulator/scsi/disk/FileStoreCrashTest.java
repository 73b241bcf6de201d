package io.vhba.emulator.scsi.disk;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * A {@link FileStore} after a crash. A {@code kill -9} leaves exactly what the process had written to the kernel (the
 * page cache survives it), so copying the file and its map files while the store is still open and then opening the
 * copies is the state a killed process leaves behind, without killing anything.
 */
class FileStoreCrashTest {

    private static final int GRANULE = 4096;
    private static final long CAPACITY = 256L * GRANULE;

    @TempDir
    Path dir;

    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();

    @BeforeEach
    void captureLogs() {
        logs.start();
        ((Logger) LoggerFactory.getLogger(FileStore.class)).addAppender(logs);
    }

    @AfterEach
    void releaseLogs() {
        ((Logger) LoggerFactory.getLogger(FileStore.class)).detachAppender(logs);
    }

    private Path image() {
        return dir.resolve("live.img");
    }

    /** The files a kill -9 of the process using {@code image()} would leave, as {@code crashed.img}. */
    private Path killed() throws IOException {
        Path copy = dir.resolve("crashed.img");
        for (String suffix : new String[] {"", ".map", ".map.log"}) {
            Path from = dir.resolve("live.img" + suffix);
            if (Files.exists(from)) {
                Files.copy(from, dir.resolve("crashed.img" + suffix), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        return copy;
    }

    private static byte[] read(FileStore s, long offset, int n) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(n);
        s.read(offset, b);
        return b.array();
    }

    private long warnings() {
        return logs.list.stream().filter(e -> e.getLevel() == ch.qos.logback.classic.Level.WARN).count();
    }

    @Test
    void aFlushedWriteIntoANewGranuleReadsBackAfterAKill() throws Exception {
        byte[] data = DiskRig.pattern(512, 9);
        Path crashed;
        try (FileStore s = FileStore.open(image(), CAPACITY, GRANULE)) {
            s.write(5 * GRANULE + 1024, ByteBuffer.wrap(data)); // granule 5 was never mapped
            s.flushAsync().get(); // what a FUA write waits for before GOOD
            crashed = killed();
        }
        try (FileStore s = FileStore.open(crashed, CAPACITY, GRANULE)) {
            assertThat(s.recovery()).isInstanceOf(MapJournal.Replayed.class);
            assertThat(((MapJournal.Replayed) s.recovery()).batches()).isEqualTo(1);
            assertThat(read(s, 5 * GRANULE + 1024, 512)).isEqualTo(data);
            assertThat(s.extent(5 * GRANULE, GRANULE).mapped()).isTrue();
            assertThat(s.extent(4 * GRANULE, GRANULE).mapped()).isFalse();
        }
        assertThat(warnings()).as("one line about the unclean stop").isEqualTo(1);
    }

    @Test
    void aNewGranuleThatWasNeverFlushedIsLostAsACachedWriteIs() throws Exception {
        Path crashed;
        try (FileStore s = FileStore.open(image(), CAPACITY, GRANULE)) {
            s.write(0, ByteBuffer.wrap(DiskRig.filled(512, 0x11)));
            s.flush();
            s.write(9 * GRANULE, ByteBuffer.wrap(DiskRig.filled(512, 0x22))); // acknowledged without FUA
            crashed = killed();
        }
        try (FileStore s = FileStore.open(crashed, CAPACITY, GRANULE)) {
            assertThat(read(s, 0, 512)).containsOnly(0x11);
            assertThat(read(s, 9 * GRANULE, 512)).as("the map never said granule 9 was mapped").containsOnly(0);
            assertThat(s.extent(9 * GRANULE, GRANULE).mapped()).isFalse();
            // and the bytes the lost write left in the file never come back: a new write zero-fills the granule
            s.write(9 * GRANULE + 2048, ByteBuffer.wrap(DiskRig.filled(512, 0x33)));
            assertThat(read(s, 9 * GRANULE, 512)).containsOnly(0);
        }
    }

    @Test
    void aFlushedDeallocationReadsZerosAfterAKillThoughTheOldBytesAreStillInTheFile() throws Exception {
        Path crashed;
        try (FileStore s = FileStore.open(image(), CAPACITY, GRANULE)) {
            s.write(0, ByteBuffer.wrap(DiskRig.filled(4 * GRANULE, 0x5A)));
            s.flush();
            s.deallocate(GRANULE, 2 * GRANULE);
            s.flushAsync().get(); // SYNCHRONIZE CACHE after UNMAP
            crashed = killed();
        }
        byte[] raw = Files.readAllBytes(crashed);
        assertThat(raw[GRANULE]).as("deallocation does not touch the file").isEqualTo((byte) 0x5A);
        try (FileStore s = FileStore.open(crashed, CAPACITY, GRANULE)) {
            assertThat(read(s, 0, GRANULE)).containsOnly(0x5A);
            assertThat(read(s, GRANULE, 2 * GRANULE)).containsOnly(0);
            assertThat(read(s, 3 * GRANULE, GRANULE)).containsOnly(0x5A);
            assertThat(s.extent(GRANULE, CAPACITY).length()).isEqualTo(2 * GRANULE);
        }
    }

    @Test
    void aStoreKilledTwiceRecoversFromItsRecoveredMap() throws Exception {
        Path first;
        try (FileStore s = FileStore.open(image(), CAPACITY, GRANULE)) {
            s.write(3 * GRANULE, ByteBuffer.wrap(DiskRig.filled(512, 0x44)));
            s.flush();
            first = killed();
        }
        Files.move(first, image(), StandardCopyOption.REPLACE_EXISTING);
        Files.move(dir.resolve("crashed.img.map"), dir.resolve("live.img.map"), StandardCopyOption.REPLACE_EXISTING);
        Files.move(dir.resolve("crashed.img.map.log"), dir.resolve("live.img.map.log"),
                StandardCopyOption.REPLACE_EXISTING);
        Path second;
        try (FileStore s = FileStore.open(image(), CAPACITY, GRANULE)) {
            s.write(200 * GRANULE, ByteBuffer.wrap(DiskRig.filled(512, 0x55)));
            s.flush();
            second = killed();
        }
        try (FileStore s = FileStore.open(second, CAPACITY, GRANULE)) {
            assertThat(read(s, 3 * GRANULE, 512)).containsOnly(0x44);
            assertThat(read(s, 200 * GRANULE, 512)).containsOnly(0x55);
        }
    }

    @Test
    void aDamagedMapIsRebuiltWithEveryGranuleMappedSoNothingWrittenIsLost() throws Exception {
        try (FileStore s = FileStore.open(image(), CAPACITY, GRANULE)) {
            s.write(7 * GRANULE, ByteBuffer.wrap(DiskRig.filled(512, 0x66)));
        }
        Path map = dir.resolve("live.img.map");
        byte[] b = Files.readAllBytes(map);
        b[b.length - 1] ^= 0x40;
        Files.write(map, b);
        try (FileStore s = FileStore.open(image(), CAPACITY, GRANULE)) {
            assertThat(s.recovery()).isEqualTo(new MapJournal.Unusable("checksum mismatch (damaged)"));
            assertThat(s.extent(0, CAPACITY)).isEqualTo(new BackingStore.MappingExtent(true, CAPACITY));
            assertThat(read(s, 7 * GRANULE, 512)).containsOnly(0x66);
        }
        assertThat(warnings()).isEqualTo(1);
        assertThat(logs.list.get(0).getFormattedMessage()).contains("unusable (checksum mismatch (damaged))",
                "rebuilt with every granule mapped");
        try (FileStore s = FileStore.open(image(), CAPACITY, GRANULE)) {
            assertThat(s.recovery()).as("the rebuilt map was written back whole").isInstanceOf(MapJournal.Clean.class);
        }
    }

    @Test
    void aCleanCloseLeavesACleanCheckpointAndNoLog() throws Exception {
        try (FileStore s = FileStore.open(image(), CAPACITY, GRANULE)) {
            s.write(0, ByteBuffer.wrap(DiskRig.filled(512, 1)));
            assertThat(Files.exists(dir.resolve("live.img.map.log"))).as("the log exists while open").isTrue();
        }
        assertThat(Files.exists(dir.resolve("live.img.map.log"))).isFalse();
        try (FileStore s = FileStore.open(image(), CAPACITY, GRANULE)) {
            assertThat(s.recovery()).isInstanceOf(MapJournal.Clean.class);
            assertThat(s.extent(0, CAPACITY)).isEqualTo(new BackingStore.MappingExtent(true, GRANULE));
        }
        assertThat(warnings()).isZero();
    }

    @Test
    void concurrentFlushRequestsShareForces() throws Exception {
        try (FileStore s = FileStore.open(image(), CAPACITY, GRANULE)) {
            java.util.List<java.util.concurrent.CompletableFuture<Void>> all = new java.util.ArrayList<>();
            for (int i = 0; i < 64; i++) {
                s.write((long) i * GRANULE, ByteBuffer.wrap(DiskRig.filled(512, i + 1)));
                all.add(s.flushAsync());
            }
            java.util.concurrent.CompletableFuture.allOf(all.toArray(new java.util.concurrent.CompletableFuture[0]))
                    .get();
            assertThat(s.flushRequestsServed()).isEqualTo(64);
            assertThat(s.forcesRun()).isBetween(1L, 64L);
            Path crashed = killed();
            try (FileStore c = FileStore.open(crashed, CAPACITY, GRANULE)) {
                for (int i = 0; i < 64; i++) {
                    assertThat(read(c, (long) i * GRANULE, 512)).containsOnly(i + 1);
                }
            }
        }
    }
}
