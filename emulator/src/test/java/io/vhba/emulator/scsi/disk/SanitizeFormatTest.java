package io.vhba.emulator.scsi.disk;

import static org.assertj.core.api.Assertions.assertThat;

import io.vhba.hw.DataDirection;
import io.vhba.hw.ScsiCommand;
import io.vhba.hw.ScsiResult;
import io.vhba.miniport.scsi.ScsiStatus;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

class SanitizeFormatTest {

    static int[] sanitize(int flagsAndSa, int length) {
        return new int[] {0x48, flagsAndSa, 0, 0, 0, 0, 0, length >>> 8, length & 0xFF, 0};
    }

    static byte[] overwriteList(int passes, byte[] pattern) {
        ByteBuffer b = ByteBuffer.allocate(4 + pattern.length);
        b.put((byte) passes).put((byte) 0).putShort((short) pattern.length).put(pattern);
        return b.array();
    }

    static final int OVERWRITE = 0x01;
    static final int BLOCK_ERASE = 0x02;
    static final int CRYPTO_ERASE = 0x03;
    static final int EXIT_FAILURE_MODE = 0x1F;

    @Test
    void overwriteWritesThePatternIntoEveryBlock() {
        DiskRig rig = new DiskRig(DiskRig.config(512, 4096));
        rig.write(0, DiskRig.filled(256 * 512, 'a'));
        rig.write(4096 - 256, DiskRig.filled(256 * 512, 'a'));
        byte[] list = overwriteList(1, DiskRig.filled(512, 0xAA));
        assertThat(rig.out(list, sanitize(OVERWRITE, list.length)).result()).isEqualTo(ScsiResult.good(516));
        assertThat(rig.read(0, 4096)).containsOnly((byte) 0xAA);

        byte[] four = overwriteList(2, new byte[] {1, 2, 3, 4});
        assertThat(rig.out(four, sanitize(OVERWRITE, four.length)).status()).isEqualTo(ScsiStatus.GOOD);
        byte[] block = rig.read(4095, 1);
        for (int i = 0; i < 512; i++) {
            assertThat(block[i]).isEqualTo((byte) (i % 4 + 1));
        }
        // INVERT with two passes: the last pass still writes the pattern itself
        byte[] inverted = overwriteList(0x80 | 2, new byte[] {0x0F});
        assertThat(rig.out(inverted, sanitize(OVERWRITE, inverted.length)).status()).isEqualTo(ScsiStatus.GOOD);
        assertThat(rig.read(17, 1)).containsOnly(0x0F);
    }

    @Test
    void overwriteParameterChecks() {
        DiskRig rig = new DiskRig(DiskRig.config(512, 1024));
        byte[] big = new byte[520];
        for (int len = 0; len < 5; len++) {
            assertThat(DiskRig.senseSummary(rig.out(big, sanitize(OVERWRITE, len)).sense())).isEqualTo("5/24/00/C00007");
        }
        assertThat(DiskRig.senseSummary(rig.out(big, sanitize(OVERWRITE, 517)).sense())).isEqualTo("5/24/00/C00007");
        byte[] noPasses = overwriteList(0, new byte[512]);
        assertThat(DiskRig.senseSummary(rig.out(noPasses, sanitize(OVERWRITE, 516)).sense())).isEqualTo("5/26/00/8C0000");
        byte[] noPattern = new byte[516];
        noPattern[0] = 1;
        assertThat(DiskRig.senseSummary(rig.out(noPattern, sanitize(OVERWRITE, 516)).sense())).isEqualTo("5/26/00/800002");
        byte[] tooLong = overwriteList(1, new byte[512]);
        tooLong[2] = 0x02;
        tooLong[3] = 0x04; // 516 > block length
        assertThat(DiskRig.senseSummary(rig.out(tooLong, sanitize(OVERWRITE, 516)).sense())).isEqualTo("5/26/00/800002");
    }

    @Test
    void blockEraseDeallocatesEverythingOnAThinLun() {
        DiskRig rig = new DiskRig(DiskRig.config(512, 8192).withThinProvisioning(true));
        rig.write(0, DiskRig.filled(256 * 512, 'a'));
        rig.write(8192 - 256, DiskRig.filled(256 * 512, 'a'));
        assertThat(rig.none(sanitize(BLOCK_ERASE, 0)).result()).isEqualTo(ScsiResult.good(0));
        assertThat(rig.read(0, 256)).containsOnly(0);
        assertThat(Hex.of(rig.in(256, ProvisioningTest.getLbaStatus(0, 256)).data()))
                .isEqualTo("00000014" + "00000000" + "0000000000000000" + "00002000" + "01000000");
        assertThat(DiskRig.senseSummary(rig.out(new byte[8], sanitize(BLOCK_ERASE, 8)).sense()))
                .isEqualTo("5/24/00/C00007");
        // only thin LUNs erase blocks (libiscsi Sanitize.BlockErase insists on LBPME)
        assertThat(DiskRig.senseSummary(DiskRig.thick().none(sanitize(BLOCK_ERASE, 0)).sense()))
                .isEqualTo("5/24/00/CC0001");
    }

    @Test
    void cryptoEraseWipesTheData() {
        DiskRig rig = new DiskRig(DiskRig.config(512, 2048));
        rig.write(0, DiskRig.filled(2048 * 512, 'a'));
        assertThat(rig.none(sanitize(0x80 | CRYPTO_ERASE, 0)).status()).isEqualTo(ScsiStatus.GOOD); // IMMED
        awaitReady(rig);
        assertThat(rig.read(0, 2048)).containsOnly(0);
    }

    /** TEST UNIT READY until GOOD (at most 20 s); every answer before is NOT READY / SANITIZE IN PROGRESS. */
    static void awaitReady(DiskRig rig) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        for (;;) {
            DiskRig.Result tur = rig.none(0, 0, 0, 0, 0, 0);
            if (tur.status() == ScsiStatus.GOOD) {
                return;
            }
            assertThat(DiskRig.senseSummary(tur.sense())).startsWith("2/04/1B/");
            assertThat(System.nanoTime()).as("sanitize still running after 20 s").isLessThan(deadline);
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
    }

    @Test
    void withoutImmedTheStatusComesWhenTheOverwriteEndsAndTheUnitIsBusyMeanwhile() throws Exception {
        // 2 MiB at 2 MiB/s: the overwrite takes about a second
        DiskRig rig = new DiskRig(DiskRig.config(512, 4096).withOverwriteRate(2L << 20));
        byte[] list = overwriteList(1, DiskRig.filled(512, 0x5A));
        CompletableFuture<ScsiResult> status = new CompletableFuture<>();
        long started = System.nanoTime();
        rig.unit.start(new ScsiCommand(DiskRig.bytes(sanitize(OVERWRITE, list.length)), 10, DataDirection.OUT,
                new TestBuffer(list), 0), status::complete);
        assertThat(status).as("no status while the overwrite runs (IMMED=0)").isNotDone();

        DiskRig.Result tur = rig.none(0, 0, 0, 0, 0, 0);
        byte[] sense = tur.sense();
        assertThat(DiskRig.senseSummary(sense)).as("NOT READY, SANITIZE IN PROGRESS, SKSV").startsWith("2/04/1B/8");
        assertThat(rig.in(96, 0x12, 0, 0, 0, 96, 0).status()).as("INQUIRY still served").isEqualTo(ScsiStatus.GOOD);

        assertThat(status.get(20, TimeUnit.SECONDS)).isEqualTo(ScsiResult.good(list.length));
        assertThat(System.nanoTime() - started).as("paced to the media rate")
                .isGreaterThan(TimeUnit.MILLISECONDS.toNanos(800));
        assertThat(rig.none(0, 0, 0, 0, 0, 0).status()).isEqualTo(ScsiStatus.GOOD);
        assertThat(rig.read(0, 4096)).containsOnly(0x5A);
    }

    @Test
    void withImmedTheStatusComesAtOnceAndTheOverwriteGoesOn() {
        DiskRig rig = new DiskRig(DiskRig.config(512, 4096).withOverwriteRate(4L << 20));
        byte[] list = overwriteList(1, DiskRig.filled(512, 0x3C));
        CompletableFuture<ScsiResult> status = new CompletableFuture<>();
        rig.unit.start(new ScsiCommand(DiskRig.bytes(sanitize(0x80 | OVERWRITE, list.length)), 10, DataDirection.OUT,
                new TestBuffer(list), 0), status::complete);
        assertThat(status).as("IMMED: status before start returns").isCompletedWithValue(ScsiResult.good(list.length));
        assertThat(DiskRig.senseSummary(rig.none(0, 0, 0, 0, 0, 0).sense())).startsWith("2/04/1B/");
        byte[] again = overwriteList(1, new byte[] {1});
        assertThat(DiskRig.senseSummary(rig.out(again, sanitize(OVERWRITE, again.length)).sense()))
                .as("a second sanitize meanwhile is NOT READY too").startsWith("2/04/1B/");
        awaitReady(rig);
        assertThat(rig.read(0, 4096)).containsOnly(0x3C);
    }

    @Test
    void invalidServiceActionsAndReservedFields() {
        DiskRig rig = DiskRig.thin();
        for (int sa = 0; sa <= 0x1F; sa++) {
            if (sa >= 1 && sa <= 3 || sa == 0x1F) {
                continue;
            }
            assertThat(DiskRig.senseSummary(rig.none(sanitize(sa, 0)).sense())).isEqualTo("5/24/00/CC0001");
        }
        assertThat(DiskRig.senseSummary(rig.none(sanitize(0x40 | BLOCK_ERASE, 0)).sense())).isEqualTo("5/24/00/CE0001");
        for (int i = 2; i < 7; i++) {
            int[] cdb = sanitize(BLOCK_ERASE, 0);
            cdb[i] = i;
            assertThat(DiskRig.senseSummary(rig.none(cdb).sense())).isEqualTo(
                    String.format("5/24/00/C%X%04X", 8 + Bytes.highestBit(i), i));
        }
    }

    @Test
    void aWriteProtectedLunRefusesSanitize() {
        DiskRig rig = new DiskRig(DiskRig.config(512, 1024).withReadOnly(true));
        byte[] list = overwriteList(1, new byte[512]);
        assertThat(DiskRig.senseSummary(rig.out(list, sanitize(OVERWRITE, 516)).sense())).isEqualTo("7/27/00/000000");
        assertThat(DiskRig.senseSummary(rig.none(sanitize(CRYPTO_ERASE, 0)).sense())).isEqualTo("7/27/00/000000");
    }

    /** A store whose writes wait at a gate, to hold a sanitize in progress. */
    static final class GateStore extends CountingStore {
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);

        GateStore(BackingStore d) {
            super(d);
        }

        @Override
        public void write(long offset, ByteBuffer src) throws IOException {
            entered.countDown();
            try {
                if (!release.await(30, TimeUnit.SECONDS)) {
                    throw new IOException("gate never opened");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(e);
            }
            super.write(offset, src);
        }
    }

    @Test
    void whileSanitizeRunsOtherCommandsGetNotReadyWithProgress() throws Exception {
        DiskConfig config = DiskRig.config(512, 1024);
        GateStore store = new GateStore(new SparseRamStore(config.geometry().capacityBytes()));
        DiskLogicalUnit unit = new DiskLogicalUnit(config, store);
        byte[] list = overwriteList(1, DiskRig.filled(512, 0xAA));
        CompletableFuture<ScsiResult> running = CompletableFuture.supplyAsync(() -> unit.execute(new ScsiCommand(
                DiskRig.bytes(sanitize(OVERWRITE, 516)), 10, DataDirection.OUT, new TestBuffer(list), 0)));
        assertThat(store.entered.await(30, TimeUnit.SECONDS)).isTrue();

        ScsiResult tur = unit.execute(new ScsiCommand(new byte[6], 6, DataDirection.NONE, io.vhba.hw.DataBuffer.NONE, 0));
        assertThat(DiskRig.senseSummary(tur.sense().toBytes())).isEqualTo("2/04/1B/800000"); // SKSV, progress 0
        TestBuffer sense = new TestBuffer(18);
        ScsiResult rs = unit.execute(new ScsiCommand(DiskRig.bytes(0x03, 0, 0, 0, 18, 0), 6, DataDirection.IN, sense, 0));
        assertThat(rs.status()).isEqualTo(ScsiStatus.GOOD);
        assertThat(DiskRig.senseSummary(sense.bytes)).isEqualTo("2/04/1B/800000");
        // the CDB is not evaluated while sanitize runs: LOEJ on a fixed disk is NOT READY, not INVALID FIELD
        ScsiResult eject = unit.execute(new ScsiCommand(DiskRig.bytes(0x1B, 1, 0, 0, 0x12, 0), 6, DataDirection.NONE,
                io.vhba.hw.DataBuffer.NONE, 0));
        assertThat(Hex.of(eject.sense().toBytes())).isEqualTo("700002000000000A00000000041B00800000");
        TestBuffer inq = new TestBuffer(96);
        assertThat(unit.execute(new ScsiCommand(DiskRig.bytes(DiskRig.inquiry(0, 0, 96)), 6, DataDirection.IN, inq, 0))
                .status()).isEqualTo(ScsiStatus.GOOD);

        store.release.countDown();
        assertThat(running.get(30, TimeUnit.SECONDS).status()).isEqualTo(ScsiStatus.GOOD);
        assertThat(unit.execute(new ScsiCommand(new byte[6], 6, DataDirection.NONE, io.vhba.hw.DataBuffer.NONE, 0))
                .status()).isEqualTo(ScsiStatus.GOOD);
    }

    @Test
    void aFailedSanitizeLeavesTheFailureStateUntilASanitizeSucceedsOrItIsExited() {
        DiskRig rig = new DiskRig(DiskRig.config(512, 1024));
        byte[] list = overwriteList(1, DiskRig.filled(512, 0x11));
        rig.store.failWrites = true;
        assertThat(DiskRig.senseSummary(rig.out(list, sanitize(OVERWRITE, 516)).sense())).isEqualTo("3/31/03/000000");
        rig.store.failWrites = false;
        assertThat(DiskRig.senseSummary(rig.in(512, DiskRig.read10(0, 1)).sense())).isEqualTo("3/31/03/000000");
        assertThat(DiskRig.senseSummary(rig.none(0, 0, 0, 0, 0, 0).sense())).isEqualTo("3/31/03/000000");
        assertThat(rig.in(96, DiskRig.inquiry(0, 0, 96)).status()).isEqualTo(ScsiStatus.GOOD);
        assertThat(DiskRig.senseSummary(rig.in(18, 0x03, 0, 0, 0, 18, 0).data())).isEqualTo("3/31/03/000000");
        // AUSE was 0: EXIT FAILURE MODE is refused, a successful sanitize restores the medium
        assertThat(DiskRig.senseSummary(rig.none(sanitize(EXIT_FAILURE_MODE, 0)).sense())).isEqualTo("5/24/00/CC0001");
        assertThat(rig.out(list, sanitize(OVERWRITE, 516)).status()).isEqualTo(ScsiStatus.GOOD);
        assertThat(rig.read(0, 1)).containsOnly(0x11);

        rig.store.failWrites = true;
        assertThat(rig.out(list, sanitize(0x20 | OVERWRITE, 516)).status()).isEqualTo(ScsiStatus.CHECK_CONDITION);
        rig.store.failWrites = false;
        assertThat(rig.none(sanitize(EXIT_FAILURE_MODE, 0)).status()).isEqualTo(ScsiStatus.GOOD); // AUSE was 1
        assertThat(rig.in(512, DiskRig.read10(0, 1)).status()).isEqualTo(ScsiStatus.GOOD);
        // outside the failure state EXIT FAILURE MODE has nothing to do; a parameter list is an error
        assertThat(rig.none(sanitize(EXIT_FAILURE_MODE, 0)).status()).isEqualTo(ScsiStatus.GOOD);
        assertThat(DiskRig.senseSummary(rig.out(new byte[8], sanitize(EXIT_FAILURE_MODE, 8)).sense()))
                .isEqualTo("5/24/00/C00007");
    }

    @Test
    void formatUnitWithDefaultsDeallocatesAndWithAPatternFillsIt() {
        DiskRig rig = new DiskRig(DiskRig.config(512, 2048).withThinProvisioning(true));
        rig.write(0, DiskRig.filled(2048 * 512, 'z'));
        assertThat(rig.none(0x04, 0, 0, 0, 0, 0).result()).isEqualTo(ScsiResult.good(0));
        assertThat(rig.read(0, 2048)).containsOnly(0);
        assertThat(rig.in(24, ProvisioningTest.getLbaStatus(0, 24)).data()[20]).isEqualTo((byte) 1);

        // FMTDATA, short header: FOV + IP, pattern type 01b "AB"
        byte[] params = Hex.bytes("00880000" + "0001" + "0002" + "4142");
        assertThat(rig.out(params, 0x04, 0x10, 0, 0, 0, 0).result()).isEqualTo(ScsiResult.good(10));
        byte[] back = rig.read(2047, 1);
        for (int i = 0; i < 512; i++) {
            assertThat(back[i]).isEqualTo((byte) (i % 2 == 0 ? 'A' : 'B'));
        }
    }

    @Test
    void formatUnitRefusesProtectionAndDefectLists() {
        DiskRig rig = new DiskRig(DiskRig.config(512, 1024));
        assertThat(DiskRig.senseSummary(rig.none(0x04, 0x80, 0, 0, 0, 0).sense())).isEqualTo("5/24/00/CF0001");
        assertThat(DiskRig.senseSummary(rig.none(0x04, 0x01, 0, 0, 0, 0).sense())).isEqualTo("5/24/00/CA0001");
        assertThat(DiskRig.senseSummary(rig.out(Hex.bytes("01000000"), 0x04, 0x10, 0, 0, 0, 0).sense()))
                .isEqualTo("5/26/00/8A0000");
        assertThat(DiskRig.senseSummary(rig.out(Hex.bytes("00000008" + "0".repeat(16)), 0x04, 0x10, 0, 0, 0, 0)
                .sense())).isEqualTo("5/26/00/800002");
        assertThat(DiskRig.senseSummary(rig.out(Hex.bytes("00080000"), 0x04, 0x10, 0, 0, 0, 0).sense()))
                .isEqualTo("5/26/00/8B0001"); // IP without FOV
        assertThat(DiskRig.senseSummary(rig.out(Hex.bytes("00"), 0x04, 0x10, 0, 0, 0, 0).sense()))
                .isEqualTo("5/1A/00/000000");
    }

    @Test
    void readDefectDataReturnsEmptyLists() {
        DiskRig rig = DiskRig.thick();
        assertThat(Hex.of(rig.in(32, 0x37, 0, 0x18, 0, 0, 0, 0, 0, 32, 0).data())).isEqualTo("00180000");
        assertThat(Hex.of(rig.in(32, 0x37, 0, 0x05, 0, 0, 0, 0, 0, 32, 0).data())).isEqualTo("00050000");
        assertThat(Hex.of(rig.in(32, 0xB7, 0x13, 0, 0, 0, 0, 0, 0, 0, 32, 0, 0).data())).isEqualTo("0013000000000000");
        assertThat(DiskRig.senseSummary(rig.in(32, 0x37, 0, 0x06, 0, 0, 0, 0, 0, 32, 0).sense())).isEqualTo("5/24/00/CA0002");
        assertThat(rig.in(2, 0x37, 0, 0, 0, 0, 0, 0, 0, 2, 0).data()).hasSize(2);
    }
}
