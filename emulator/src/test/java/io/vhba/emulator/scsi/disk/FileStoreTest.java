package io.vhba.emulator.scsi.disk;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileStoreTest {

    @TempDir
    Path dir;

    @Test
    void createsASparseFileOfTheCapacityThatReadsZeros() throws Exception {
        Path f = dir.resolve("disk.img");
        try (FileStore s = FileStore.open(f, 64L << 20, 4096)) {
            assertThat(Files.size(f)).isEqualTo(64L << 20);
            ByteBuffer b = ByteBuffer.allocate(8192);
            s.read(10_000_000, b);
            assertThat(b.array()).containsOnly(0);
            assertThat(s.extent(0, Long.MAX_VALUE)).isEqualTo(new BackingStore.MappingExtent(false, 64L << 20));
        }
    }

    @Test
    void writesReadBackAndMapOnlyTheGranulesTouched() throws Exception {
        try (FileStore s = FileStore.open(dir.resolve("d.img"), 1 << 20, 4096)) {
            byte[] data = DiskRig.pattern(6000, 3);
            s.write(5000, ByteBuffer.wrap(data));
            ByteBuffer b = ByteBuffer.allocate(6000);
            s.read(5000, b);
            assertThat(b.array()).isEqualTo(data);
            assertThat(s.extent(0, 1 << 20)).isEqualTo(new BackingStore.MappingExtent(false, 4096));
            assertThat(s.extent(4096, 1 << 20)).isEqualTo(new BackingStore.MappingExtent(true, 8192));
            assertThat(s.extent(12288, 1 << 20)).isEqualTo(new BackingStore.MappingExtent(false, (1 << 20) - 12288));
        }
    }

    @Test
    void deallocatedGranulesReadZerosAndStaleBytesNeverReturn() throws Exception {
        try (FileStore s = FileStore.open(dir.resolve("d.img"), 1 << 20, 4096)) {
            s.write(0, ByteBuffer.wrap(DiskRig.filled(8192, 0xEE)));
            s.deallocate(0, 8192);
            ByteBuffer b = ByteBuffer.allocate(8192);
            s.read(0, b);
            assertThat(b.array()).containsOnly(0);
            // a partial write into the deallocated granule must not resurrect the 0xEE still in the file
            s.write(100, ByteBuffer.wrap(new byte[] {1, 2, 3}));
            ByteBuffer g = ByteBuffer.allocate(4096);
            s.read(0, g);
            for (int i = 0; i < 4096; i++) {
                assertThat(g.get(i)).isEqualTo(i >= 100 && i < 103 ? (byte) (i - 99) : (byte) 0);
            }
            // a partial deallocation zeroes in place and keeps the granule mapped
            s.write(4096, ByteBuffer.wrap(DiskRig.filled(4096, 0x11)));
            s.deallocate(4096 + 1000, 10);
            ByteBuffer h = ByteBuffer.allocate(4096);
            s.read(4096, h);
            assertThat(h.get(999)).isEqualTo((byte) 0x11);
            assertThat(h.get(1000)).isZero();
            assertThat(h.get(1010)).isEqualTo((byte) 0x11);
            assertThat(s.extent(4096, 4096).mapped()).isTrue();
        }
    }

    @Test
    void theMappingSurvivesAFlushAndReopen() throws Exception {
        Path f = dir.resolve("d.img");
        try (FileStore s = FileStore.open(f, 1 << 20, 4096)) {
            s.write(0, ByteBuffer.wrap(DiskRig.filled(3 * 4096, 0x42)));
            s.deallocate(4096, 4096);
            s.flush();
        }
        assertThat(Files.exists(dir.resolve("d.img.map"))).isTrue();
        try (FileStore s = FileStore.open(f, 1 << 20, 4096)) {
            assertThat(s.extent(0, 1 << 20)).isEqualTo(new BackingStore.MappingExtent(true, 4096));
            assertThat(s.extent(4096, 1 << 20)).isEqualTo(new BackingStore.MappingExtent(false, 4096));
            ByteBuffer b = ByteBuffer.allocate(3 * 4096);
            s.read(0, b);
            assertThat(b.get(0)).isEqualTo((byte) 0x42);
            assertThat(b.get(4096)).isZero(); // the stale 0x42 in the file stays hidden
            assertThat(b.get(8192)).isEqualTo((byte) 0x42);
        }
    }

    @Test
    void aFileWithContentButNoMapIsTreatedAsFullyMapped() throws Exception {
        Path f = dir.resolve("existing.img");
        Files.write(f, DiskRig.filled(8192, 7));
        try (FileStore s = FileStore.open(f, 8192, 4096)) {
            assertThat(s.extent(0, 8192)).isEqualTo(new BackingStore.MappingExtent(true, 8192));
            ByteBuffer b = ByteBuffer.allocate(8192);
            s.read(0, b);
            assertThat(b.array()).containsOnly(7);
        }
    }

    @Test
    void prefetchReadsSmallRangesIntoTheCacheAndDeclinesHugeOnes() throws Exception {
        try (FileStore s = FileStore.open(dir.resolve("p.img"), 256L << 20, 65536)) {
            assertThat(s.prefetch(0, 1 << 20)).isTrue();
            assertThat(s.prefetch(0, FileStore.PREFETCH_LIMIT + 1)).isFalse();
        }
    }

    @Test
    void aDiskOverAFileKeepsSynchronizedDataAndUnmapsAcrossARestart() throws Exception {
        Path f = dir.resolve("lun0.img");
        DiskConfig config = DiskRig.config(512, 8192).withThinProvisioning(true);
        byte[] data = DiskRig.pattern(256 * 512, 42);
        try (FileStore store = FileStore.open(f, config.geometry().capacityBytes())) {
            DiskLogicalUnit unit = new DiskLogicalUnit(config, store);
            assertThat(execute(unit, DiskRig.write16(0, 256, 0), data).isGood()).isTrue();
            assertThat(execute(unit, DiskRig.write16(1024, 256, 0), data).isGood()).isTrue();
            byte[] unmap = ProvisioningTest.unmapList(new long[][] {{1024, 256}});
            assertThat(execute(unit, ProvisioningTest.unmap(unmap.length), unmap).isGood()).isTrue();
            assertThat(execute(unit, DiskRig.ten(0x35, 0, 0, 0), new byte[0]).isGood()).isTrue();
        }
        try (FileStore store = FileStore.open(f, config.geometry().capacityBytes())) {
            ByteBuffer b = ByteBuffer.allocate(256 * 512);
            store.read(0, b);
            assertThat(b.array()).isEqualTo(data);
            ByteBuffer z = ByteBuffer.allocate(256 * 512);
            store.read(1024 * 512, z);
            assertThat(z.array()).containsOnly(0);
            assertThat(store.extent(1024 * 512, 256 * 512).mapped()).isFalse();
        }
    }

    private static io.vhba.hw.ScsiResult execute(DiskLogicalUnit unit, int[] cdb, byte[] out) {
        return unit.execute(new io.vhba.hw.ScsiCommand(DiskRig.bytes(cdb), cdb.length,
                out.length == 0 ? io.vhba.hw.DataDirection.NONE : io.vhba.hw.DataDirection.OUT,
                out.length == 0 ? io.vhba.hw.DataBuffer.NONE : new TestBuffer(out), 0));
    }
}
