package io.vhba.emulator.scsi.disk;

import static org.assertj.core.api.Assertions.assertThat;

import io.vhba.hw.ScsiResult;
import io.vhba.miniport.scsi.ScsiStatus;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class CompareAndVerifyTest {

    static int[] caw(long lba, int blocks, int flags) {
        int[] c = DiskRig.sixteen(0x89, lba, 0, flags);
        c[13] = blocks;
        return c;
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] r = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }

    @Test
    void verifyWithByteCheckComparesAndReportsTheMiscompareOffset() {
        DiskRig rig = DiskRig.thick();
        byte[] data = DiskRig.pattern(8 * 512, 4);
        rig.write(100, data);
        assertThat(rig.out(data, DiskRig.ten(0x2F, 100, 8, 0x02)).result()).isEqualTo(ScsiResult.good(8 * 512));
        byte[] flipped = data.clone();
        flipped[3 * 512 + 17] ^= 'X';
        DiskRig.Result r = rig.out(flipped, DiskRig.ten(0x2F, 100, 8, 0x02));
        // MISCOMPARE / MISCOMPARE DURING VERIFY OPERATION, INFORMATION = 1553 (0x611)
        assertThat(Hex.of(r.sense())).isEqualTo("F0000E000006110A000000001D0000000000");
        assertThat(rig.out(flipped, DiskRig.twelve(0xAF, 100, 8, 0x02)).sense()[2]).isEqualTo((byte) 0x0E);
        assertThat(rig.out(flipped, DiskRig.sixteen(0x8F, 100, 8, 0x02)).sense()[2]).isEqualTo((byte) 0x0E);
    }

    @Test
    void verifyWithoutByteCheckOnlyReadsTheMedium() {
        DiskRig rig = DiskRig.thick();
        assertThat(rig.out(DiskRig.filled(512, 9), DiskRig.ten(0x2F, 0, 256, 0x10)).result())
                .isEqualTo(ScsiResult.good(0)); // DPO accepted, data ignored
        assertThat(rig.none(DiskRig.ten(0x2F, 0, 0, 0)).result()).isEqualTo(ScsiResult.good(0));
        assertThat(rig.none(DiskRig.ten(0x2F, 0xFFFFF, 2, 0)).sense()[12]).isEqualTo((byte) 0x21);
    }

    @Test
    void verifyByteCheck11ComparesOneBlockWithEveryBlock() {
        DiskRig rig = DiskRig.thick();
        rig.write(10, DiskRig.filled(4 * 512, 0x77));
        assertThat(rig.out(DiskRig.filled(512, 0x77), DiskRig.ten(0x2F, 10, 4, 0x06)).result())
                .isEqualTo(ScsiResult.good(512));
        rig.write(12, DiskRig.filled(512, 0x78));
        assertThat(DiskRig.senseSummary(rig.out(DiskRig.filled(512, 0x77), DiskRig.ten(0x2F, 10, 4, 0x06)).sense()))
                .isEqualTo("E/1D/00/000000");
        assertThat(Bytes.u32(rig.out(DiskRig.filled(512, 0x77), DiskRig.ten(0x2F, 10, 4, 0x06)).sense(), 3))
                .isEqualTo(1024);
    }

    @Test
    void reservedByteCheckAndProtectionAreInvalid() {
        DiskRig rig = DiskRig.thick();
        assertThat(DiskRig.senseSummary(rig.out(new byte[512], DiskRig.ten(0x2F, 0, 1, 0x04)).sense()))
                .isEqualTo("5/24/00/CA0001");
        assertThat(DiskRig.senseSummary(rig.out(new byte[512], DiskRig.ten(0x2F, 0, 1, 0x20)).sense()))
                .isEqualTo("5/24/00/CD0001");
        assertThat(DiskRig.senseSummary(rig.out(new byte[512], DiskRig.ten(0x2E, 0, 1, 0x06)).sense()))
                .isEqualTo("5/24/00/CA0001");
    }

    @Test
    void writeAndVerifyWritesForcesAndVerifies() {
        DiskRig rig = DiskRig.thick();
        for (int bytchk : new int[] {0x00, 0x02}) {
            for (int op : new int[] {0x2E, 0xAE, 0x8E}) {
                byte[] data = DiskRig.pattern(3 * 512, op + bytchk);
                int[] cdb = op == 0x2E ? DiskRig.ten(op, 40, 3, bytchk)
                        : op == 0xAE ? DiskRig.twelve(op, 40, 3, bytchk) : DiskRig.sixteen(op, 40, 3, bytchk);
                int flushes = rig.store.flushes.get();
                assertThat(rig.out(data, cdb).result()).isEqualTo(ScsiResult.good(3 * 512));
                assertThat(rig.store.flushes.get()).isEqualTo(flushes + 1);
                assertThat(rig.read(40, 3)).isEqualTo(data);
            }
        }
        // the initiator sent less: the whole blocks are written and verified
        assertThat(rig.out(DiskRig.filled(700, 1), DiskRig.ten(0x2E, 40, 3, 0x02)).result())
                .isEqualTo(ScsiResult.good(512));
    }

    @Test
    void compareAndWriteSwapsOnlyWhenTheVerifyDataMatches() {
        DiskRig rig = DiskRig.thick();
        byte[] a = DiskRig.filled(2 * 512, 'A');
        byte[] b = DiskRig.filled(2 * 512, 'B');
        rig.write(7, a);
        assertThat(rig.out(concat(a, b), caw(7, 2, 0)).result()).isEqualTo(ScsiResult.good(4 * 512));
        assertThat(rig.read(7, 2)).isEqualTo(b);

        byte[] wrong = b.clone();
        wrong[2 * 512 - 27] = 'C';
        DiskRig.Result r = rig.out(concat(wrong, a), caw(7, 2, 0));
        assertThat(Hex.of(r.sense())).isEqualTo("F0000E000003E50A000000001D0000000000"); // offset 997
        assertThat(rig.read(7, 2)).isEqualTo(b);
    }

    @Test
    void compareAndWriteLimitsAndShortData() {
        DiskRig rig = DiskRig.thick();
        assertThat(rig.none(caw(0, 0, 0)).result()).isEqualTo(ScsiResult.good(0));
        DiskConfig small = DiskRig.config(512, 1024).withLimits(
                new DiskConfig.Limits(16384, 8, 1 << 20, 1024, 1 << 16, 1));
        assertThat(DiskRig.senseSummary(new DiskRig(small).out(new byte[2048], caw(0, 2, 0)).sense()))
                .isEqualTo("5/24/00/C0000D");
        assertThat(DiskRig.senseSummary(rig.out(new byte[3 * 512], caw(0, 2, 0)).sense())).isEqualTo("5/24/00/C0000D");
        assertThat(rig.out(new byte[2048], caw(0xFFFFF, 2, 0)).sense()[12]).isEqualTo((byte) 0x21);
        int flushes = rig.store.flushes.get();
        assertThat(rig.out(new byte[1024], caw(0, 1, 0x08)).status()).isEqualTo(ScsiStatus.GOOD); // FUA
        assertThat(rig.store.flushes.get()).isEqualTo(flushes + 1);
    }

    /**
     * The Data-Out buffer is the verify and the write instance exactly (SBC-4 5.3). libiscsi CompareAndWrite.Simple
     * sends 256 blocks, which the 8-bit NUMBER OF LOGICAL BLOCKS field wraps to 0, and expects INVALID FIELD IN CDB;
     * InvalidDataOutSize sends 4 blocks of data for 1 and 3. Nothing is compared or written.
     */
    @Test
    void compareAndWriteRefusesADataOutBufferOfAnyOtherLength() {
        DiskRig rig = DiskRig.thick();
        byte[] a = DiskRig.filled(512, 'A');
        rig.write(3, a);
        String invalidNumberOfBlocks = "700005000000000A00000000240000C0000D";
        assertThat(Hex.of(rig.out(DiskRig.filled(2 * 256 * 512, 'A'), caw(3, 0, 0)).sense()))
                .isEqualTo(invalidNumberOfBlocks);
        byte[] fourBlocks = concat(concat(a, DiskRig.filled(512, 'B')), DiskRig.filled(2 * 512, 'B'));
        assertThat(Hex.of(rig.out(fourBlocks, caw(3, 1, 0)).sense())).isEqualTo(invalidNumberOfBlocks);
        assertThat(Hex.of(rig.out(fourBlocks, caw(3, 3, 0)).sense())).isEqualTo(invalidNumberOfBlocks);
        assertThat(rig.read(3, 1)).isEqualTo(a);
        assertThat(rig.none(caw(3, 0, 0)).result()).isEqualTo(ScsiResult.good(0)); // no blocks, no data: GOOD
        assertThat(rig.out(concat(a, DiskRig.filled(512, 'B')), caw(3, 1, 0)).result())
                .isEqualTo(ScsiResult.good(1024));
        assertThat(rig.read(3, 1)).containsOnly('B');
    }

    /** A miscompare in the last of 255 blocks: VALID, INFORMATION = byte offset, nothing written. */
    @Test
    void compareAndWriteMiscompareInTheLastBlockReportsItsOffset() {
        DiskRig rig = DiskRig.thick();
        byte[] a = DiskRig.filled(255 * 512, 'A');
        rig.write(0, a);
        byte[] verify = a.clone();
        verify[255 * 512 - 27] = 'C';
        DiskRig.Result r = rig.out(concat(verify, DiskRig.filled(255 * 512, 'B')), caw(0, 255, 0));
        // 255 * 512 - 27 = 130533 = 0001FDE5h
        assertThat(Hex.of(r.sense())).isEqualTo("F0000E0001FDE50A000000001D0000000000");
        assertThat(rig.read(0, 255)).isEqualTo(a);
    }

    /** Four initiators increment one counter with COMPARE AND WRITE; atomicity means no increment is lost. */
    @Test
    void compareAndWriteIsAtomicAgainstConcurrentCompareAndWrites() throws Exception {
        DiskRig rig = DiskRig.thick();
        int threads = 4;
        int each = 150;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            futures.add(pool.submit(() -> {
                int done = 0;
                while (done < each) {
                    byte[] old = rig.read(0, 1);
                    long value = ByteBuffer.wrap(old).getLong();
                    byte[] next = new byte[512];
                    ByteBuffer.wrap(next).putLong(value + 1);
                    if (rig.out(concat(old, next), caw(0, 1, 0)).status() == ScsiStatus.GOOD) {
                        done++;
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : futures) {
            f.get(120, TimeUnit.SECONDS);
        }
        pool.shutdown();
        assertThat(ByteBuffer.wrap(rig.read(0, 1)).getLong()).isEqualTo((long) threads * each);
    }

    /**
     * COMPARE AND WRITE of 255 blocks against a plain writer on a range that straddles two lock regions (1 MiB =
     * 2048 blocks) and several store chunks:
     * each WRITE(16) of the whole range lands before or after a compare-and-write, never inside one. So every
     * compare sees one whole image: a miscompare is always at byte 0 (a torn image would differ later), and the
     * medium never holds two images mixed.
     */
    @Test
    void compareAndWriteIsAtomicAgainstAPlainWriter() throws Exception {
        DiskRig rig = DiskRig.thick();
        long lba = 2048 - 128;
        byte[] a = DiskRig.filled(255 * 512, 'A');
        byte[] b = DiskRig.filled(255 * 512, 'B');
        rig.write(lba, a);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        Future<Integer> swapper = pool.submit(() -> {
            int swaps = 0;
            for (int i = 0; i < 1000; i++) {
                boolean fromA = i % 2 == 0;
                DiskRig.Result r = rig.out(concat(fromA ? a : b, fromA ? b : a), caw(lba, 255, 0));
                if (r.status() == ScsiStatus.GOOD) {
                    swaps++;
                } else {
                    assertThat(Hex.of(r.sense())).isEqualTo("F0000E000000000A000000001D0000000000");
                }
            }
            return swaps;
        });
        Future<?> writer = pool.submit(() -> {
            for (int i = 0; i < 1000; i++) {
                rig.write(lba, i % 3 == 0 ? b : a);
            }
            return null;
        });
        writer.get(60, TimeUnit.SECONDS);
        assertThat(swapper.get(60, TimeUnit.SECONDS)).isPositive();
        pool.shutdown();
        byte[] last = rig.read(lba, 255);
        assertThat(last).containsOnly(last[0]);
    }
}
