package io.vhba.emulator.scsi.disk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link BackingStore#resize} of the RAM and the file store. */
class StoreResizeTest {

    private static final int KIB = 1024;

    @TempDir
    Path dir;

    private static byte[] read(BackingStore s, long offset, int length) throws Exception {
        ByteBuffer b = ByteBuffer.allocate(length);
        s.read(offset, b);
        return b.array();
    }

    @Test
    void ramStoreShrinkDropsChunksAndZeroesTheCutOne() throws Exception {
        SparseRamStore s = new SparseRamStore(256 * KIB, 64 * KIB);
        s.write(0, ByteBuffer.wrap(DiskRig.filled(256 * KIB, 0x77)));
        assertThat(s.allocatedBytes()).isEqualTo(256 * KIB);

        s.resize(100 * KIB); // cuts chunk 1 at 36 KiB
        assertThat(s.capacity()).isEqualTo(100 * KIB);
        assertThat(s.allocatedBytes()).isEqualTo(128 * KIB);
        assertThat(read(s, 0, 100 * KIB)).containsOnly(0x77);
        assertThatThrownBy(() -> s.read(100 * KIB, ByteBuffer.allocate(1)))
                .isInstanceOf(IndexOutOfBoundsException.class);

        s.resize(300 * KIB);
        assertThat(read(s, 0, 100 * KIB)).containsOnly(0x77);
        assertThat(read(s, 100 * KIB, 200 * KIB)).as("what the shrink dropped reads zeros").containsOnly(0);
        assertThat(s.extent(100 * KIB, 200 * KIB)).as("the cut chunk stays mapped up to its end")
                .isEqualTo(new BackingStore.MappingExtent(true, 28 * KIB));
        assertThat(s.extent(128 * KIB, 300 * KIB)).isEqualTo(new BackingStore.MappingExtent(false, 172 * KIB));
        s.write(300 * KIB - 1, ByteBuffer.wrap(new byte[] {9}));
        assertThat(read(s, 300 * KIB - 1, 1)).containsExactly(9);
    }

    @Test
    void ramStoreGrowsAcrossDirectoryLeaves() throws Exception {
        // 4 KiB chunks, 16 Ki chunks per leaf: one leaf is 64 MiB
        SparseRamStore s = new SparseRamStore(64L << 20, 4 * KIB);
        s.write((64L << 20) - 3, ByteBuffer.wrap(new byte[] {1, 2, 3}));
        s.resize(3L << 30);
        assertThat(read(s, (64L << 20) - 3, 3)).containsExactly(1, 2, 3);
        s.write((3L << 30) - 2, ByteBuffer.wrap(new byte[] {4, 5}));
        assertThat(read(s, (3L << 30) - 2, 2)).containsExactly(4, 5);
        assertThat(s.allocatedBytes()).isEqualTo(8 * KIB);
        s.resize(64L << 20);
        assertThat(s.allocatedBytes()).isEqualTo(4 * KIB);
    }

    @Test
    void ramStoreRefusesANonPositiveCapacity() {
        SparseRamStore s = new SparseRamStore(64 * KIB);
        assertThatThrownBy(() -> s.resize(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("capacity must be positive, not 0");
        assertThat(s.capacity()).isEqualTo(64 * KIB);
    }

    @Test
    void fileStoreFollowsWithTheFileAndDeallocatesGrownSpace() throws Exception {
        Path f = dir.resolve("d.img");
        try (FileStore s = FileStore.open(f, 256 * KIB, 64 * KIB)) {
            s.write(0, ByteBuffer.wrap(DiskRig.filled(256 * KIB, 0x42)));
            s.resize(1 << 20);
            assertThat(Files.size(f)).isEqualTo(1 << 20);
            assertThat(read(s, 0, 256 * KIB)).containsOnly(0x42);
            assertThat(read(s, 256 * KIB, 768 * KIB)).containsOnly(0);
            assertThat(s.extent(256 * KIB, 1 << 20)).isEqualTo(new BackingStore.MappingExtent(false, 768 * KIB));

            s.resize(100 * KIB);
            assertThat(Files.size(f)).isEqualTo(100 * KIB);
            assertThat(read(s, 0, 100 * KIB)).containsOnly(0x42);
            s.resize(200 * KIB);
            assertThat(read(s, 100 * KIB, 100 * KIB)).as("truncated bytes do not come back").containsOnly(0);
        }
        // the map was persisted with the new capacity: reopened at that size, provisioning is as it was
        try (FileStore s = FileStore.open(f, 200 * KIB, 64 * KIB)) {
            assertThat(s.extent(0, 200 * KIB)).isEqualTo(new BackingStore.MappingExtent(true, 128 * KIB));
            assertThat(s.extent(128 * KIB, 200 * KIB)).isEqualTo(new BackingStore.MappingExtent(false, 72 * KIB));
        }
    }

    /** A file longer than the capacity: growing over its extra bytes shows zeros, not what the file held. */
    @Test
    void fileStoreGrowingOverAnOversizedFileReadsZeros() throws Exception {
        Path f = dir.resolve("big.img");
        Files.write(f, DiskRig.filled(1 << 20, 0xAA));
        try (FileStore s = FileStore.open(f, 260 * KIB, 64 * KIB)) { // every granule mapped: the file had content
            assertThat(read(s, 256 * KIB, 4 * KIB)).containsOnly(0xAA);
            s.resize(512 * KIB);
            assertThat(Files.size(f)).as("long enough already").isEqualTo(1 << 20);
            assertThat(read(s, 0, 260 * KIB)).containsOnly(0xAA);
            assertThat(read(s, 260 * KIB, 252 * KIB)).containsOnly(0);
        }
    }

    @Test
    void fileStoreRefusesANonPositiveCapacity() throws Exception {
        try (FileStore s = FileStore.open(dir.resolve("d.img"), 64 * KIB, 4 * KIB)) {
            assertThatThrownBy(() -> s.resize(-1)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("capacity must be positive, not -1");
            assertThat(s.capacity()).isEqualTo(64 * KIB);
        }
    }
}
