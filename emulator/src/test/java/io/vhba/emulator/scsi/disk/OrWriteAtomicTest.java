package io.vhba.emulator.scsi.disk;

import static org.assertj.core.api.Assertions.assertThat;

import io.vhba.hw.ScsiResult;
import io.vhba.miniport.scsi.ScsiStatus;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class OrWriteAtomicTest {

    static int[] writeAtomic(long lba, int blocks, int flags) {
        int[] c = DiskRig.sixteen(0x9C, lba, 0, flags);
        c[12] = (blocks >>> 8) & 0xFF;
        c[13] = blocks & 0xFF;
        return c;
    }

    @Test
    void orWriteOrsTheDataIntoTheBlocks() {
        DiskRig rig = DiskRig.thick();
        rig.write(0, new byte[4 * 512]);
        assertThat(rig.out(DiskRig.filled(4 * 512, 0xA5), DiskRig.sixteen(0x8B, 0, 4, 0)).result())
                .isEqualTo(ScsiResult.good(4 * 512));
        assertThat(rig.read(0, 4)).containsOnly((byte) 0xA5);
        assertThat(rig.out(DiskRig.filled(4 * 512, 0x5A), DiskRig.sixteen(0x8B, 0, 4, 0x18)).status())
                .isEqualTo(ScsiStatus.GOOD);
        assertThat(rig.read(0, 4)).containsOnly((byte) 0xFF);
        assertThat(rig.none(DiskRig.sixteen(0x8B, 0xFFFFF, 2, 0)).sense()[12]).isEqualTo((byte) 0x21);
        assertThat(DiskRig.senseSummary(rig.out(new byte[512], DiskRig.sixteen(0x8B, 0, 1, 0x20)).sense()))
                .isEqualTo("5/24/00/CD0001"); // ORPROTECT
    }

    @Test
    void writeAtomicWritesAllOrNothing() {
        DiskRig rig = DiskRig.thick();
        byte[] data = DiskRig.pattern(8 * 512, 11);
        assertThat(rig.out(data, writeAtomic(50, 8, 0x08)).result()).isEqualTo(ScsiResult.good(8 * 512));
        assertThat(rig.read(50, 8)).isEqualTo(data);
        // short Data-Out: nothing written
        DiskRig.Result r = rig.out(DiskRig.filled(7 * 512, 1), writeAtomic(50, 8, 0));
        assertThat(DiskRig.senseSummary(r.sense())).isEqualTo("5/24/00/C0000C");
        assertThat(rig.read(50, 8)).isEqualTo(data);
        // ATOMIC BOUNDARY is not supported
        int[] boundary = writeAtomic(50, 1, 0);
        boundary[11] = 1;
        assertThat(DiskRig.senseSummary(rig.out(new byte[512], boundary).sense())).isEqualTo("5/24/00/C8000B");
        assertThat(rig.none(writeAtomic(0, 0, 0)).result()).isEqualTo(ScsiResult.good(0));
    }

    /** SBC-4 5.48: a TRANSFER LENGTH above MAXIMUM ATOMIC TRANSFER LENGTH (VPD B0 byte 44) is refused whole. */
    @Test
    void writeAtomicIsLimitedToTheMaximumAtomicTransferLength() {
        DiskRig rig = DiskRig.thick();
        assertThat(rig.out(DiskRig.filled(256 * 512, 3), writeAtomic(0, 256, 0)).result())
                .isEqualTo(ScsiResult.good(256 * 512));
        assertThat(Hex.of(rig.out(DiskRig.filled(257 * 512, 4), writeAtomic(0, 257, 0)).sense()))
                .isEqualTo("700005000000000A00000000240000C0000C");
        assertThat(rig.read(0, 257)).startsWith(DiskRig.filled(256 * 512, 3)).endsWith(new byte[512]);
        // past the end it is LBA OUT OF RANGE, however long
        assertThat(Hex.of(rig.out(new byte[512 * 512], writeAtomic((1 << 20) - 256, 512, 0)).sense()))
                .isEqualTo("700005000000000A00000000210000000000");

        DiskRig small = new DiskRig(DiskRig.config(512, 1024)
                .withLimits(new DiskConfig.Limits(16384, 8, 1 << 20, 1024, 0xFFFF, 255, 16)));
        byte[] vpd = small.in(64, DiskRig.inquiry(1, 0xB0, 64)).data();
        assertThat(Bytes.u32(vpd, 44)).isEqualTo(16);
        assertThat(Bytes.u32(vpd, 8)).isEqualTo(16384);
        assertThat(small.out(new byte[16 * 512], writeAtomic(0, 16, 0)).status()).isEqualTo(ScsiStatus.GOOD);
        assertThat(DiskRig.senseSummary(small.out(new byte[17 * 512], writeAtomic(0, 17, 0)).sense()))
                .isEqualTo("5/24/00/C0000C");
    }

    @Test
    void maximumAtomicTransferLengthStaysWithinTheMaximumTransferLength() {
        assertThat(new DiskConfig.Limits(300, 8, 1, 1, 1, 1).maxAtomicTransferLength()).isEqualTo(256);
        assertThat(new DiskConfig.Limits(256, 8, 1, 1, 1, 1).maxAtomicTransferLength()).isEqualTo(256);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new DiskConfig.Limits(256, 8, 1, 1, 1, 1, 257))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxAtomicTransferLength");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new DiskConfig.Limits(256, 8, 1, 1, 1, 1, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxAtomicTransferLength");
    }

    /** A reader racing WRITE ATOMIC across a lock-region boundary sees every block old or every block new. */
    @Test
    void readersNeverSeeATornAtomicWrite() throws Exception {
        DiskRig rig = DiskRig.thick();
        long lba = 2048 - 32; // straddles two 1 MiB lock regions
        rig.write(lba, DiskRig.filled(64 * 512, 0x11));
        ExecutorService pool = Executors.newFixedThreadPool(2);
        Future<?> writer = pool.submit(() -> {
            for (int i = 0; i < 400; i++) {
                rig.out(DiskRig.filled(64 * 512, i % 2 == 0 ? 0x22 : 0x11), writeAtomic(lba, 64, 0));
            }
            return null;
        });
        Future<?> reader = pool.submit(() -> {
            for (int i = 0; i < 400; i++) {
                byte[] seen = rig.read(lba, 64);
                assertThat(seen).containsOnly(seen[0]);
            }
            return null;
        });
        writer.get(60, TimeUnit.SECONDS);
        reader.get(60, TimeUnit.SECONDS);
        pool.shutdown();
    }
}
