package io.vhba.emulator.scsi.disk;

import static io.vhba.emulator.scsi.disk.DiskRig.read10;
import static io.vhba.emulator.scsi.disk.DiskRig.read16;
import static io.vhba.emulator.scsi.disk.DiskRig.write10;
import static io.vhba.emulator.scsi.disk.DiskRig.write16;
import static org.assertj.core.api.Assertions.assertThat;

import io.vhba.hw.DataDirection;
import io.vhba.hw.ScsiCommand;
import io.vhba.hw.ScsiResult;
import io.vhba.miniport.scsi.ScsiStatus;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ReadWriteTest {

    @Test
    void everyReadAndWriteSizeRoundTrips() {
        DiskRig rig = DiskRig.thick();
        byte[] a = DiskRig.pattern(4 * 512, 1);
        assertThat(rig.out(a, DiskRig.write6(100, 4)).status()).isEqualTo(ScsiStatus.GOOD);
        assertThat(rig.in(4 * 512, DiskRig.read6(100, 4)).data()).isEqualTo(a);

        byte[] b = DiskRig.pattern(3 * 512, 2);
        rig.out(b, write10(2000, 3, 0));
        assertThat(rig.in(3 * 512, read10(2000, 3)).data()).isEqualTo(b);

        byte[] c = DiskRig.pattern(2 * 512, 3);
        rig.out(c, DiskRig.twelve(0xAA, 3000, 2, 0));
        assertThat(rig.in(2 * 512, DiskRig.twelve(0xA8, 3000, 2, 0)).data()).isEqualTo(c);

        byte[] d = DiskRig.pattern(512, 4);
        rig.out(d, write16(0xFFFFF, 1, 0)); // the last block
        assertThat(rig.in(512, read16(0xFFFFF, 1)).data()).isEqualTo(d);
        assertThat(rig.read(0xFFFFE, 1)).containsOnly(0);
    }

    @Test
    void transfersLargerThanTheStagingChunkStream() {
        DiskRig rig = DiskRig.thick();
        byte[] big = DiskRig.pattern(3 * Staging.CHUNK + 512, 9);
        rig.write(77, big);
        assertThat(rig.read(77, big.length / 512)).isEqualTo(big);
    }

    @Test
    void readAndWrite6OfZeroBlocksMean256() {
        DiskRig rig = DiskRig.thick();
        byte[] data = DiskRig.pattern(256 * 512, 5);
        assertThat(rig.out(data, DiskRig.write6(0, 0)).result()).isEqualTo(ScsiResult.good(256 * 512));
        DiskRig.Result r = rig.in(256 * 512, DiskRig.read6(0, 0));
        assertThat(r.data()).isEqualTo(data);
    }

    @Test
    void zeroTransferLengthIsANoOpButStillRangeChecked() {
        DiskRig rig = DiskRig.thick();
        assertThat(rig.in(512, read10(0, 0)).result()).isEqualTo(ScsiResult.good(0));
        assertThat(rig.out(new byte[512], write16(5, 0, 0)).result()).isEqualTo(ScsiResult.good(0));
        assertThat(DiskRig.senseSummary(rig.in(512, read10(0x100001, 0)).sense())).isEqualTo("5/21/00/000000");
        assertThat(rig.in(512, read10(0x100000, 0)).status()).isEqualTo(ScsiStatus.GOOD);
    }

    @Test
    void beyondTheEndIsLbaOutOfRange() {
        DiskRig rig = DiskRig.thick();
        DiskRig.Result r = rig.in(1024, read10(0xFFFFF, 2));
        assertThat(Hex.of(r.sense())).isEqualTo("700005000000000A00000000210000000000");
        assertThat(rig.in(512, read16(-1L, 1)).sense()[12]).isEqualTo((byte) 0x21);
        assertThat(rig.in(512, read16(0x8000_0000_0000_0000L, 1)).sense()[12]).isEqualTo((byte) 0x21);
        assertThat(rig.in(512, DiskRig.read6(0x1FFFFF, 1)).sense()[12]).isEqualTo((byte) 0x21);
        assertThat(rig.out(new byte[512], write10(0x100000, 1, 0)).sense()[12]).isEqualTo((byte) 0x21);
    }

    @Test
    void transferLongerThanTheMaximumIsInvalidFieldAtTheLengthField() {
        DiskRig rig = DiskRig.thick();
        assertThat(DiskRig.senseSummary(rig.in(512, read16(0, 16385)).sense())).isEqualTo("5/24/00/C0000A");
        assertThat(DiskRig.senseSummary(rig.in(512, read10(0, 16385)).sense())).isEqualTo("5/24/00/C00007");
        assertThat(rig.in(512, read10(0, 16384)).status()).isEqualTo(ScsiStatus.GOOD);
    }

    @Test
    void protectionFieldsAreRejectedBecauseThereIsNoProtectionInformation() {
        DiskRig rig = DiskRig.thick();
        String[] pointer = {null, "CD0001", "CE0001", "CE0001", "CF0001", "CF0001", "CF0001", "CF0001"};
        for (int p = 1; p < 8; p++) {
            assertThat(DiskRig.senseSummary(rig.in(512, DiskRig.ten(0x28, 0, 1, p << 5)).sense()))
                    .as("RDPROTECT %d", p).isEqualTo("5/24/00/" + pointer[p]);
            assertThat(DiskRig.senseSummary(rig.out(new byte[512], DiskRig.ten(0x2A, 0, 1, p << 5)).sense()))
                    .as("WRPROTECT %d", p).isEqualTo("5/24/00/" + pointer[p]);
        }
    }

    @Test
    void dpoAndFuaAreAcceptedAndFuaForcesTheStore() {
        DiskRig rig = DiskRig.thick();
        int before = rig.store.flushes.get();
        assertThat(rig.out(new byte[512], write10(1, 1, 0x10)).status()).isEqualTo(ScsiStatus.GOOD); // DPO
        assertThat(rig.store.flushes.get()).isEqualTo(before);
        assertThat(rig.out(new byte[512], write10(1, 1, 0x08)).status()).isEqualTo(ScsiStatus.GOOD); // FUA
        assertThat(rig.store.flushes.get()).isEqualTo(before + 1);
        assertThat(rig.in(512, DiskRig.ten(0x28, 1, 1, 0x18)).status()).isEqualTo(ScsiStatus.GOOD);
    }

    @Test
    void aShortDataOutBufferWritesOnlyTheWholeBlocksItHolds() {
        DiskRig rig = DiskRig.thick();
        rig.write(0, DiskRig.filled(1024, 'a'));
        // WRITE(10) of 2 blocks, but the initiator sent one block and a half
        DiskRig.Result r = rig.out(DiskRig.filled(768, 'b'), write10(0, 2, 0));
        assertThat(r.result()).isEqualTo(ScsiResult.good(512));
        byte[] back = rig.read(0, 2);
        assertThat(Arrays.copyOfRange(back, 0, 512)).containsOnly('b');
        assertThat(Arrays.copyOfRange(back, 512, 1024)).containsOnly('a');
        // nothing sent at all: GOOD, nothing written
        assertThat(rig.none(write10(0, 1, 0)).result()).isEqualTo(ScsiResult.good(0));
        // more sent than the CDB asks for: only the transfer length is written
        assertThat(rig.out(DiskRig.filled(1024, 'c'), write10(0, 1, 0)).result()).isEqualTo(ScsiResult.good(512));
        assertThat(Arrays.copyOfRange(rig.read(0, 2), 512, 1024)).containsOnly('a');
    }

    @Test
    void aShortDataInBufferGetsWhatFits() {
        DiskRig rig = DiskRig.thick();
        byte[] data = DiskRig.pattern(1024, 6);
        rig.write(0, data);
        assertThat(rig.in(200, read10(0, 1)).data()).isEqualTo(Arrays.copyOf(data, 200));
        assertThat(rig.in(512, read10(0, 2)).data()).isEqualTo(Arrays.copyOf(data, 512));
        assertThat(rig.in(0, read10(0, 1)).result()).isEqualTo(ScsiResult.good(0));
        // a READ the initiator flagged as a write: no Data-In buffer, nothing moves, still GOOD
        ScsiResult wrongWay = rig.unit.execute(new ScsiCommand(DiskRig.bytes(read10(0, 1)), 10, DataDirection.OUT,
                new TestBuffer(512), 0));
        assertThat(wrongWay).isEqualTo(ScsiResult.good(0));
    }

    @Test
    void aReadOnlyLunRefusesWritesWithWriteProtected() {
        DiskRig rig = new DiskRig(DiskRig.config(512, 1024).withReadOnly(true));
        DiskRig.Result r = rig.out(new byte[512], write10(0, 1, 0));
        assertThat(Hex.of(r.sense())).isEqualTo("700007000000000A00000000270000000000");
        assertThat(rig.in(512, read10(0, 1)).status()).isEqualTo(ScsiStatus.GOOD);
    }

    @Test
    void aFailingStoreIsAMediumErrorWithTheLba() {
        DiskRig rig = DiskRig.thick();
        rig.store.failWrites = true;
        DiskRig.Result r = rig.out(new byte[512], write10(0x1234, 1, 0));
        assertThat(Hex.of(r.sense())).isEqualTo("F00003000012340A000000000C0000000000");
    }

    @Test
    void concurrentCommandsOnDisjointRangesAllLand() throws Exception {
        DiskRig rig = DiskRig.thick();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            int id = t;
            futures.add(pool.submit(() -> {
                for (int i = 0; i < 200; i++) {
                    long lba = (long) i * 16 + id * 4;
                    rig.write(lba, DiskRig.pattern(4 * 512, id * 1000 + i));
                }
                return null;
            }));
        }
        for (Future<?> f : futures) {
            f.get(60, TimeUnit.SECONDS);
        }
        pool.shutdown();
        for (int t = 0; t < 4; t++) {
            for (int i = 0; i < 200; i++) {
                assertThat(rig.read((long) i * 16 + t * 4, 4)).isEqualTo(DiskRig.pattern(4 * 512, t * 1000 + i));
            }
        }
    }
}
