package io.vhba.emulator.scsi.disk;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The on-disk allocation map: checkpoint and log format, and what is (not) trusted when reading them back. */
class MapJournalTest {

    private static final long CAPACITY = 200L * 4096; // 200 granules: four words, the last one partial
    private static final int GRANULARITY = 4096;

    @TempDir
    Path dir;

    private Path mapPath() {
        return dir.resolve("d.img.map");
    }

    private MapJournal.Opened open(ProvisioningMap into) throws IOException {
        return MapJournal.open(mapPath(), CAPACITY, GRANULARITY, into);
    }

    private static ProvisioningMap map(long... granules) {
        ProvisioningMap m = new ProvisioningMap(200);
        for (long g : granules) {
            m.setMapped(g);
        }
        return m;
    }

    private static long[] words(ProvisioningMap m) {
        long[] w = new long[m.words()];
        for (int i = 0; i < w.length; i++) {
            w[i] = m.word(i);
        }
        return w;
    }

    /** Writes {@code m} as a checkpoint in {@code state}, forcing "data" first as a store does. */
    private MapJournal checkpointed(ProvisioningMap m, MapJournal.State state, AtomicInteger forces) throws IOException {
        MapJournal j = open(new ProvisioningMap(200)).journal();
        m.clearDirty();
        j.checkpoint(m, CAPACITY, state, forces::incrementAndGet);
        return j;
    }

    @Test
    void aCleanCheckpointReadsBackExactlyAndIsWrittenAfterTheDataIsForced() throws Exception {
        ProvisioningMap m = map(0, 63, 64, 199);
        AtomicInteger forces = new AtomicInteger();
        checkpointed(m, MapJournal.State.CLEAN, forces).close();
        assertThat(forces).hasValue(1);
        assertThat(Files.size(mapPath())).isEqualTo(MapJournal.HEADER + 4 * 8);

        ProvisioningMap back = new ProvisioningMap(200);
        MapJournal.Opened o = open(back);
        o.journal().close();
        assertThat(o.recovery()).isInstanceOf(MapJournal.Clean.class);
        assertThat(words(back)).containsExactly(words(m));
    }

    @Test
    void noCheckpointIsMissing() throws Exception {
        MapJournal.Opened o = open(new ProvisioningMap(200));
        o.journal().close();
        assertThat(o.recovery()).isInstanceOf(MapJournal.Missing.class);
    }

    @Test
    void aFlippedBitAnywhereIsCaughtByTheChecksum() throws Exception {
        checkpointed(map(5, 6, 7), MapJournal.State.CLEAN, new AtomicInteger()).close();
        byte[] b = Files.readAllBytes(mapPath());
        b[MapJournal.HEADER + 9] ^= 0x01; // granule 72's bit
        Files.write(mapPath(), b);
        ProvisioningMap back = new ProvisioningMap(200);
        MapJournal.Opened o = open(back);
        o.journal().close();
        assertThat(o.recovery()).isEqualTo(new MapJournal.Unusable("checksum mismatch (damaged)"));
        assertThat(back.nextDiffering(0, false)).as("nothing of a damaged map is taken").isEqualTo(200);
    }

    @Test
    void aTornCheckpointIsUnusable() throws Exception {
        checkpointed(map(1), MapJournal.State.CLEAN, new AtomicInteger()).close();
        byte[] b = Files.readAllBytes(mapPath());
        Files.write(mapPath(), java.util.Arrays.copyOf(b, b.length - 5));
        MapJournal.Opened o = open(new ProvisioningMap(200));
        o.journal().close();
        assertThat(o.recovery()).isInstanceOf(MapJournal.Unusable.class);
        assertThat(((MapJournal.Unusable) o.recovery()).reason()).startsWith("torn");

        Files.write(mapPath(), java.util.Arrays.copyOf(b, 20));
        o = open(new ProvisioningMap(200));
        o.journal().close();
        assertThat(((MapJournal.Unusable) o.recovery()).reason()).startsWith("torn");
    }

    @Test
    void aMapOfTheOlderUnchecksummedFormatOrAnotherGeometryIsUnusable() throws Exception {
        Files.write(mapPath(), ("VHBAMAP1" + "-".repeat(MapJournal.HEADER)).getBytes());
        MapJournal.Opened o = open(new ProvisioningMap(200));
        o.journal().close();
        assertThat(((MapJournal.Unusable) o.recovery()).reason()).contains("magic VHBAMAP1");

        checkpointed(map(1), MapJournal.State.CLEAN, new AtomicInteger()).close();
        MapJournal.Opened other = MapJournal.open(mapPath(), CAPACITY + 4096, GRANULARITY, new ProvisioningMap(201));
        other.journal().close();
        assertThat(((MapJournal.Unusable) other.recovery()).reason()).contains("made for " + CAPACITY);
    }

    @Test
    void afterAnUncleanStopTheLogIsReplayedOnTheCheckpoint() throws Exception {
        ProvisioningMap m = map(3);
        MapJournal j = checkpointed(m, MapJournal.State.OPEN, new AtomicInteger());
        m.setMapped(100);
        j.append(m.takeDirty());
        m.clearMapped(3);
        m.setMapped(199);
        j.append(m.takeDirty());
        j.close(); // no clean checkpoint: a kill

        ProvisioningMap back = new ProvisioningMap(200);
        MapJournal.Opened o = open(back);
        o.journal().close();
        assertThat(o.recovery()).isEqualTo(new MapJournal.Replayed(1, 2, 0));
        assertThat(words(back)).containsExactly(words(m));
    }

    @Test
    void aTornLastBatchIsIgnoredAndTheOnesBeforeItKept() throws Exception {
        ProvisioningMap m = map();
        MapJournal j = checkpointed(m, MapJournal.State.OPEN, new AtomicInteger());
        m.setMapped(10);
        j.append(m.takeDirty());
        long[] afterFirst = words(m);
        m.setMapped(150);
        j.append(m.takeDirty());
        j.close();
        Path log = MapJournal.logPathOf(mapPath());
        try (FileChannel ch = FileChannel.open(log, StandardOpenOption.WRITE)) {
            ch.truncate(ch.size() - 3); // the second batch was being written when the power went
        }

        ProvisioningMap back = new ProvisioningMap(200);
        MapJournal.Opened o = open(back);
        o.journal().close();
        assertThat(o.recovery()).isEqualTo(new MapJournal.Replayed(1, 1, MapJournal.BATCH_HEADER + 12 - 3));
        assertThat(words(back)).containsExactly(afterFirst);
    }

    @Test
    void aBatchWithABadChecksumEndsTheReplay() throws Exception {
        ProvisioningMap m = map();
        MapJournal j = checkpointed(m, MapJournal.State.OPEN, new AtomicInteger());
        m.setMapped(10);
        j.append(m.takeDirty());
        m.setMapped(150);
        j.append(m.takeDirty());
        j.close();
        Path log = MapJournal.logPathOf(mapPath());
        try (FileChannel ch = FileChannel.open(log, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(new byte[] {0x7F}), MapJournal.BATCH_HEADER + 11); // first batch's value
        }
        ProvisioningMap back = new ProvisioningMap(200);
        MapJournal.Opened o = open(back);
        o.journal().close();
        assertThat(((MapJournal.Replayed) o.recovery()).batches()).isZero();
        assertThat(back.isMapped(10)).isFalse();
        assertThat(back.isMapped(150)).isFalse();
    }

    @Test
    void aLogLeftFromAnOlderGenerationIsIgnored() throws Exception {
        ProvisioningMap m = map();
        MapJournal j = checkpointed(m, MapJournal.State.OPEN, new AtomicInteger());
        m.setMapped(7);
        j.append(m.takeDirty());
        Path log = MapJournal.logPathOf(mapPath());
        byte[] oldLog = Files.readAllBytes(log);
        m.clearMapped(7);
        m.clearDirty();
        j.checkpoint(m, CAPACITY, MapJournal.State.OPEN, () -> { }); // generation 2 says granule 7 is free
        j.close();
        Files.write(log, oldLog); // as if the kill came between the rename and the log's truncation

        ProvisioningMap back = new ProvisioningMap(200);
        MapJournal.Opened o = open(back);
        o.journal().close();
        assertThat(o.recovery()).isEqualTo(new MapJournal.Replayed(2, 0, oldLog.length));
        assertThat(back.isMapped(7)).isFalse();
    }

    @Test
    void theLogAsksForACheckpointOnceItWouldOutgrowItsLimit() throws Exception {
        ProvisioningMap m = new ProvisioningMap(200);
        MapJournal j = checkpointed(m, MapJournal.State.OPEN, new AtomicInteger());
        m.setMapped(1);
        ProvisioningMap.DirtyWords one = m.takeDirty();
        assertThat(j.wantsCheckpoint(one, m.words())).isFalse();
        j.append(one);
        assertThat(j.logSize()).isEqualTo(MapJournal.BATCH_HEADER + MapJournal.ENTRY);
        ProvisioningMap.DirtyWords huge = new ProvisioningMap.DirtyWords(new int[100_000], new long[100_000]);
        assertThat(j.wantsCheckpoint(huge, m.words())).as("1.2 MB of entries").isTrue();
        j.close();
    }
}
