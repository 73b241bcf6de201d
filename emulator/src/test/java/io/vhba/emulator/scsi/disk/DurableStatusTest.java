package io.vhba.emulator.scsi.disk;

import static org.assertj.core.api.Assertions.assertThat;

import io.vhba.hw.DataBuffer;
import io.vhba.hw.DataDirection;
import io.vhba.hw.ScsiCommand;
import io.vhba.hw.ScsiResult;
import io.vhba.miniport.scsi.ScsiStatus;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The status of a command that must be durable first (FUA, SYNCHRONIZE CACHE, any write with WCE=0) comes only when
 * the store's flush has ended, and through {@link DiskLogicalUnit#start}'s {@code done}, not by blocking the caller.
 */
class DurableStatusTest {

    /** A store whose asynchronous flushes end when the test says so. */
    static final class GatedStore extends CountingStore {
        final java.util.List<CompletableFuture<Void>> pending = new CopyOnWriteArrayList<>();

        GatedStore(long capacity) {
            super(new SparseRamStore(capacity));
        }

        @Override
        public CompletableFuture<Void> flushAsync() {
            CompletableFuture<Void> f = new CompletableFuture<>();
            pending.add(f);
            return f;
        }

        void endFlushes(IOException failure) {
            for (CompletableFuture<Void> f : pending) {
                if (failure == null) {
                    f.complete(null);
                } else {
                    f.completeExceptionally(failure);
                }
            }
            pending.clear();
        }
    }

    private final DiskConfig config = DiskRig.config(512, 8192).withThinProvisioning(true);
    private final GatedStore store = new GatedStore(config.geometry().capacityBytes());
    private final DiskLogicalUnit unit = new DiskLogicalUnit(config, store);

    @TempDir
    Path dir;

    /** Starts a command; the reference receives its status whenever it comes. */
    private static AtomicReference<ScsiResult> start(DiskLogicalUnit unit, int[] cdb, byte[] out) {
        AtomicReference<ScsiResult> status = new AtomicReference<>();
        DataBuffer data = out == null ? DataBuffer.NONE : new TestBuffer(out);
        unit.start(new ScsiCommand(DiskRig.bytes(cdb), cdb.length, out == null ? DataDirection.NONE : DataDirection.OUT,
                data, 0), status::set);
        return status;
    }

    private void writeCacheOff() {
        byte[] params = Hex.bytes("00000000" + ModeSelectTest.CACHING_WCE_OFF);
        AtomicReference<ScsiResult> s = start(unit, ModeSelectTest.modeSelect6(0x10, params.length), params);
        assertThat(s.get()).as("turning the cache off empties it first").isNull();
        store.endFlushes(null);
        assertThat(s.get().isGood()).isTrue();
    }

    @Test
    void aFuaWriteIsAnsweredWhenItsFlushEndsAndAPlainOneAtOnce() {
        AtomicReference<ScsiResult> plain = start(unit, DiskRig.write16(0, 1, 0), new byte[512]);
        assertThat(plain.get().isGood()).isTrue();
        assertThat(store.pending).isEmpty();

        AtomicReference<ScsiResult> fua = start(unit, DiskRig.write16(8, 1, 0x08), DiskRig.filled(512, 3));
        assertThat(fua.get()).as("no status before the flush ends").isNull();
        assertThat(store.pending).hasSize(1);
        assertThat(store.writes.get()).as("the data is already written").isEqualTo(2);
        store.endFlushes(null);
        assertThat(fua.get()).isEqualTo(ScsiResult.good(512));
    }

    @Test
    void synchronizeCacheAnswersWhenItsFlushEnds() {
        AtomicReference<ScsiResult> sync = start(unit, DiskRig.ten(0x35, 0, 0, 0), null);
        assertThat(sync.get()).isNull();
        store.endFlushes(null);
        assertThat(sync.get().isGood()).isTrue();
    }

    @Test
    void withTheWriteCacheOffEveryWriteAndUnmapWaitsForItsFlush() {
        writeCacheOff();
        AtomicReference<ScsiResult> write = start(unit, DiskRig.write10(0, 2, 0), new byte[1024]);
        byte[] list = ProvisioningTest.unmapList(new long[][] {{2048, 128}});
        AtomicReference<ScsiResult> unmap = start(unit, ProvisioningTest.unmap(list.length), list);
        AtomicReference<ScsiResult> same = start(unit, DiskRig.sixteen(0x93, 4096, 8, 0), new byte[512]);
        assertThat(write.get()).isNull();
        assertThat(unmap.get()).isNull();
        assertThat(same.get()).isNull();
        store.endFlushes(null);
        assertThat(write.get()).isEqualTo(ScsiResult.good(1024));
        assertThat(unmap.get().isGood()).isTrue();
        assertThat(same.get().isGood()).isTrue();
    }

    @Test
    void aFailedFlushIsMediumErrorWriteError() {
        AtomicReference<ScsiResult> fua = start(unit, DiskRig.write10(0, 1, 0x08), new byte[512]);
        store.endFlushes(new IOException("EIO"));
        assertThat(fua.get().status()).isEqualTo(ScsiStatus.CHECK_CONDITION);
        assertThat(DiskRig.senseSummary(fua.get().sense().toBytes())).isEqualTo("3/0C/00/000000");
    }

    @Test
    void anExtendedCopyToAWriteThroughUnitAnswersAfterItsFlushAndAFailedOneIsCopyAborted() {
        writeCacheOff();
        byte[] list = XcopyList.with(1, 0).identification(DiskRig.NAA, 512).blockToBlock(0, 0, 8, 0, 100).bytes();
        AtomicReference<ScsiResult> copy = start(unit, XcopyList.cdb(list.length), list);
        assertThat(copy.get()).isNull();
        store.endFlushes(null);
        assertThat(copy.get()).isEqualTo(ScsiResult.good(list.length));

        AtomicReference<ScsiResult> failed = start(unit, XcopyList.cdb(list.length), list);
        store.endFlushes(new IOException("EIO"));
        assertThat(DiskRig.senseSummary(failed.get().sense().toBytes())).as("COPY ABORTED at the segment")
                .startsWith("A/00/00/");
    }

    @Test
    void savingModePagesRunsOffTheCallersThreadAndTheStatusFollowsTheSave() throws Exception {
        CompletableFuture<Void> diskWrite = new CompletableFuture<>();
        AtomicReference<String> savedOn = new AtomicReference<>();
        SavedModePages slow = new SavedModePages() {
            @Override
            public boolean supportsSaving() {
                return true;
            }

            @Override
            public java.util.Optional<byte[]> load(int pageCode) {
                return java.util.Optional.empty();
            }

            @Override
            public void save(int pageCode, byte[] page) {
                savedOn.set(Thread.currentThread().getName());
                diskWrite.join(); // the medium takes its time
            }
        };
        DiskLogicalUnit lun = new DiskLogicalUnit(config, store, slow);
        byte[] params = Hex.bytes("00000000" + ModeSelectTest.CACHING_WCE_OFF);
        CompletableFuture<ScsiResult> status = new CompletableFuture<>();
        lun.start(new ScsiCommand(DiskRig.bytes(ModeSelectTest.modeSelect6(0x11, params.length)), 6, DataDirection.OUT,
                new TestBuffer(params), 0), status::complete);
        assertThat(status).as("start returned before the save").isNotDone();
        diskWrite.complete(null);
        while (store.pending.isEmpty()) { // then WCE 1 -> 0 empties the cache
            Thread.onSpinWait();
        }
        assertThat(status).isNotDone();
        store.endFlushes(null);
        assertThat(status.get(5, TimeUnit.SECONDS).isGood()).isTrue();
        assertThat(savedOn.get()).isEqualTo("vhba-mode-page-save");
    }

    @Test
    void executeWaitsForTheFlushOnTheCallersThread() throws Exception {
        CompletableFuture<ScsiResult> r = CompletableFuture.supplyAsync(() -> unit.execute(new ScsiCommand(
                DiskRig.bytes(DiskRig.ten(0x35, 0, 0, 0)), 10, DataDirection.NONE, DataBuffer.NONE, 0)));
        while (store.pending.isEmpty()) {
            Thread.onSpinWait();
        }
        assertThat(r).isNotDone();
        store.endFlushes(null);
        assertThat(r.get(5, TimeUnit.SECONDS).isGood()).isTrue();
    }

    @Test
    void aFileLunWithTheCacheOffAnswersEachWriteFromItsFlushThreadAfterAForce() throws Exception {
        try (FileStore file = FileStore.open(dir.resolve("wt.img"), config.geometry().capacityBytes())) {
            DiskLogicalUnit lun = new DiskLogicalUnit(config, file);
            byte[] params = Hex.bytes("00000000" + ModeSelectTest.CACHING_WCE_OFF);
            CompletableFuture<ScsiResult> off = new CompletableFuture<>();
            lun.start(new ScsiCommand(DiskRig.bytes(ModeSelectTest.modeSelect6(0x10, params.length)), 6,
                    DataDirection.OUT, new TestBuffer(params), 0), off::complete);
            assertThat(off.get(5, TimeUnit.SECONDS).isGood()).isTrue();

            long forces = file.forcesRun();
            AtomicReference<String> answeredOn = new AtomicReference<>();
            CompletableFuture<ScsiResult> write = new CompletableFuture<>();
            lun.start(new ScsiCommand(DiskRig.bytes(DiskRig.write10(100, 1, 0)), 10, DataDirection.OUT,
                    new TestBuffer(DiskRig.filled(512, 0x77)), 0), r -> {
                        answeredOn.set(Thread.currentThread().getName());
                        write.complete(r);
                    });
            assertThat(write.get(5, TimeUnit.SECONDS)).isEqualTo(ScsiResult.good(512));
            assertThat(answeredOn.get()).isEqualTo("vhba-flush-wt.img");
            assertThat(file.forcesRun()).isGreaterThan(forces);
            ByteBuffer back = ByteBuffer.allocate(512);
            file.read(100 * 512, back);
            assertThat(back.array()).containsOnly(0x77);
        }
    }
}
