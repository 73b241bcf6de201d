package io.vhba.emulator.scsi.disk;

import static org.assertj.core.api.Assertions.assertThat;

import io.vhba.hw.DataDirection;
import io.vhba.hw.ScsiCommand;
import io.vhba.hw.ScsiResult;
import io.vhba.miniport.scsi.ScsiStatus;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** A copy holds its ranges: a write to the source while the copy runs waits, and the copy sees the old data whole. */
class ExtendedCopyConsistencyTest {

    /** Stops the first read at {@code gate} until released, so a copy can be caught in the middle. */
    static final class GatedStore extends CountingStore {
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch proceed = new CountDownLatch(1);
        volatile long gate = -1;

        GatedStore(BackingStore delegate) {
            super(delegate);
        }

        @Override
        public void read(long offset, ByteBuffer dst) throws IOException {
            if (offset == gate) {
                gate = -1;
                entered.countDown();
                try {
                    proceed.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException(e);
                }
            }
            super.read(offset, dst);
        }
    }

    private static ScsiResult out(DiskLogicalUnit unit, byte[] data, int... cdb) {
        return unit.execute(new ScsiCommand(DiskRig.bytes(cdb), cdb.length, DataDirection.OUT, new TestBuffer(data), 0));
    }

    private static byte[] read(DiskLogicalUnit unit, long lba, int blocks) {
        TestBuffer buf = new TestBuffer(blocks * 512);
        int[] cdb = DiskRig.read16(lba, blocks);
        ScsiResult r = unit.execute(new ScsiCommand(DiskRig.bytes(cdb), cdb.length, DataDirection.IN, buf, 0));
        assertThat(r.status()).isEqualTo(ScsiStatus.GOOD);
        return buf.bytes;
    }

    @Test
    void aWriteToTheSourceWaitsForTheCopyInProgress() throws Exception {
        DiskConfig config = DiskRig.config(512, 4096);
        GatedStore store = new GatedStore(new SparseRamStore(config.geometry().capacityBytes()));
        DiskLogicalUnit unit = new DiskLogicalUnit(config, store);
        byte[] old = DiskRig.pattern(1024 * 512, 1); // 512 KiB: two staging chunks
        assertThat(out(unit, old, DiskRig.write16(0, 1024, 0)).status()).isEqualTo(ScsiStatus.GOOD);
        byte[] list = XcopyList.with(0, 3).identification(DiskRig.NAA, 512).blockToBlock(0, 0, 1024, 0, 2048).bytes();

        store.gate = 0; // the copy's first source read
        AtomicReference<ScsiResult> copy = new AtomicReference<>();
        Thread copier = new Thread(() -> copy.set(out(unit, list, XcopyList.cdb(list.length))));
        copier.start();
        store.entered.await();
        byte[] fresh = DiskRig.filled(8 * 512, 0x5A);
        AtomicReference<ScsiResult> write = new AtomicReference<>();
        Thread writer = new Thread(() -> write.set(out(unit, fresh, DiskRig.write16(600, 8, 0))));
        writer.start();
        // the writer either parks on the copy's range lock or, were there none, finishes its write right away
        while (writer.getState() != Thread.State.WAITING && writer.getState() != Thread.State.TERMINATED) {
            Thread.onSpinWait();
        }
        store.proceed.countDown();
        copier.join();
        writer.join();

        assertThat(copy.get().status()).isEqualTo(ScsiStatus.GOOD);
        assertThat(write.get().status()).isEqualTo(ScsiStatus.GOOD);
        assertThat(read(unit, 2048, 1024)).isEqualTo(old);
        assertThat(read(unit, 600, 8)).isEqualTo(fresh);
        assertThat(read(unit, 0, 600)).isEqualTo(Arrays.copyOf(old, 600 * 512));
    }
}
