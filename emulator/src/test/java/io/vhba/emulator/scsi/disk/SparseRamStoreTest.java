package io.vhba.emulator.scsi.disk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class SparseRamStoreTest {

    private static final long TIB = 1L << 40;

    @Test
    void sixteenTebibytesCostNothingUntilWritten() throws Exception {
        SparseRamStore s = new SparseRamStore(16 * TIB);
        assertThat(s.capacity()).isEqualTo(16 * TIB);
        assertThat(s.allocatedBytes()).isZero();

        ByteBuffer dst = ByteBuffer.allocate(8192);
        dst.put(0, (byte) 0x55);
        s.read(16 * TIB - 8192, dst);
        assertThat(dst.array()).containsOnly(0);
        assertThat(s.allocatedBytes()).isZero();

        s.write(15 * TIB, ByteBuffer.wrap(new byte[] {1, 2, 3}));
        assertThat(s.allocatedBytes()).isEqualTo(SparseRamStore.DEFAULT_CHUNK_SIZE);
    }

    @Test
    void writeThenReadAcrossChunkBoundaries() throws Exception {
        SparseRamStore s = new SparseRamStore(1 << 20, 4096);
        byte[] data = DiskRig.pattern(10_000, 7);
        s.write(4000, ByteBuffer.wrap(data));
        ByteBuffer back = ByteBuffer.allocate(10_000);
        s.read(4000, back);
        assertThat(back.array()).isEqualTo(data);
        ByteBuffer around = ByteBuffer.allocate(20);
        s.read(3990, around);
        assertThat(around.array()).startsWith(new byte[10]).endsWith(java.util.Arrays.copyOf(data, 10));
    }

    @Test
    void deallocateFreesWholeChunksAndZeroesPartialOnes() throws Exception {
        SparseRamStore s = new SparseRamStore(64 * 1024, 4096);
        s.write(0, ByteBuffer.wrap(DiskRig.filled(16384, 0xAB)));
        assertThat(s.allocatedBytes()).isEqualTo(16384);

        s.deallocate(2048, 8192); // half of chunk 0, all of chunk 1, half of chunk 2
        assertThat(s.allocatedBytes()).isEqualTo(3 * 4096);
        ByteBuffer b = ByteBuffer.allocate(16384);
        s.read(0, b);
        for (int i = 0; i < 16384; i++) {
            assertThat(b.get(i)).as("byte %d", i).isEqualTo(i >= 2048 && i < 10240 ? (byte) 0 : (byte) 0xAB);
        }
        assertThat(s.extent(0, 64 * 1024)).isEqualTo(new BackingStore.MappingExtent(true, 4096));
        assertThat(s.extent(4096, 64 * 1024)).isEqualTo(new BackingStore.MappingExtent(false, 4096));
        assertThat(s.extent(8192, 64 * 1024)).isEqualTo(new BackingStore.MappingExtent(true, 8192));
        assertThat(s.extent(16384, 64 * 1024)).isEqualTo(new BackingStore.MappingExtent(false, 49152));
        assertThat(s.extent(16384, 100)).isEqualTo(new BackingStore.MappingExtent(false, 100));
    }

    @Test
    void extentSkipsMissingLeavesOfAHugeStore() throws Exception {
        SparseRamStore s = new SparseRamStore(16 * TIB);
        s.write(16 * TIB - 1, ByteBuffer.wrap(new byte[] {9}));
        BackingStore.MappingExtent e = s.extent(0, Long.MAX_VALUE);
        assertThat(e.mapped()).isFalse();
        assertThat(e.length()).isEqualTo(16 * TIB - SparseRamStore.DEFAULT_CHUNK_SIZE);
    }

    @Test
    void rejectsAccessOutsideTheCapacity() throws Exception {
        SparseRamStore s = new SparseRamStore(4096, 4096);
        assertThatThrownBy(() -> s.read(4090, ByteBuffer.allocate(10))).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> s.write(-1, ByteBuffer.allocate(1))).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> new SparseRamStore(4096, 3000)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void concurrentWritersToOneChunkAndManyChunksLoseNothing() throws Exception {
        SparseRamStore s = new SparseRamStore(8 << 20, 4096);
        int threads = 4;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int id = t;
            done.add(pool.submit(() -> {
                go.await();
                // every thread writes its own 512-byte slots, interleaved so they share chunks
                for (int slot = id; slot < 16384; slot += threads) {
                    s.write(slot * 512L, ByteBuffer.wrap(DiskRig.filled(512, id + 1)));
                }
                return null;
            }));
        }
        go.countDown();
        for (Future<?> f : done) {
            f.get(30, TimeUnit.SECONDS);
        }
        pool.shutdown();
        ByteBuffer all = ByteBuffer.allocate(16384 * 512);
        s.read(0, all);
        for (int slot = 0; slot < 16384; slot++) {
            assertThat(all.get(slot * 512)).isEqualTo((byte) (slot % threads + 1));
            assertThat(all.get(slot * 512 + 511)).isEqualTo((byte) (slot % threads + 1));
        }
    }
}
