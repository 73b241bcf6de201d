package io.vhba.emulator.scsi.disk;

import static org.assertj.core.api.Assertions.assertThat;

import io.vhba.hw.ScsiResult;
import io.vhba.miniport.scsi.ScsiStatus;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class ProvisioningTest {

    static int[] getLbaStatus(long lba, int allocation) {
        int[] c = DiskRig.sixteen(0x9E, lba, allocation, 0);
        c[1] = 0x12;
        return c;
    }

    static int[] writeSame10(long lba, int blocks, int flags) {
        return DiskRig.ten(0x41, lba, blocks, flags);
    }

    static int[] writeSame16(long lba, long blocks, int flags) {
        return DiskRig.sixteen(0x93, lba, blocks, flags);
    }

    static byte[] unmapList(long[][] descriptors) {
        ByteBuffer b = ByteBuffer.allocate(8 + 16 * descriptors.length);
        b.putShort((short) (6 + 16 * descriptors.length)).putShort((short) (16 * descriptors.length)).putInt(0);
        for (long[] d : descriptors) {
            b.putLong(d[0]).putInt((int) d[1]).putInt(0);
        }
        return b.array();
    }

    static int[] unmap(int length) {
        return new int[] {0x42, 0, 0, 0, 0, 0, 0, length >>> 8, length & 0xFF, 0};
    }

    @Test
    void writeSameReplicatesOneBlock() {
        DiskRig rig = DiskRig.thick();
        byte[] block = DiskRig.pattern(512, 3);
        assertThat(rig.out(block, writeSame10(10, 300, 0)).result()).isEqualTo(ScsiResult.good(512));
        byte[] back = rig.read(10, 300);
        for (int i = 0; i < 300; i++) {
            assertThat(java.util.Arrays.copyOfRange(back, i * 512, i * 512 + 512)).isEqualTo(block);
        }
        assertThat(rig.read(310, 1)).containsOnly(0);
        assertThat(rig.out(DiskRig.filled(512, 0x5C), writeSame16(0xFFFFF, 1, 0)).status()).isEqualTo(ScsiStatus.GOOD);
        assertThat(rig.read(0xFFFFF, 1)).containsOnly(0x5C);
    }

    @Test
    void ndobWritesZerosWithoutData() {
        DiskRig rig = DiskRig.thick();
        rig.write(0, DiskRig.filled(4 * 512, 1));
        assertThat(rig.none(writeSame16(0, 4, 0x01)).result()).isEqualTo(ScsiResult.good(0));
        assertThat(rig.read(0, 4)).containsOnly(0);
    }

    @Test
    void writeSameLimitsAndRefusals() {
        DiskRig rig = DiskRig.thick();
        assertThat(DiskRig.senseSummary(rig.out(new byte[512], writeSame10(0, 0, 0)).sense())).isEqualTo("5/24/00/C00007");
        assertThat(DiskRig.senseSummary(rig.out(new byte[512], writeSame16(0, 0, 0)).sense())).isEqualTo("5/24/00/C0000A");
        assertThat(rig.out(new byte[512], writeSame10(0x100001, 0, 0)).sense()[12]).isEqualTo((byte) 0x21);
        assertThat(rig.out(new byte[512], writeSame16(-1L, 0, 0)).sense()[12]).isEqualTo((byte) 0x21);
        assertThat(DiskRig.senseSummary(rig.out(new byte[512], writeSame16(0, 65536, 0)).sense()))
                .isEqualTo("5/24/00/C0000A");
        // UNMAP and ANCHOR are not bits of a fully provisioned LUN; ANCHOR is never supported (ANC_SUP=0)
        assertThat(DiskRig.senseSummary(rig.out(new byte[512], writeSame16(0, 1, 0x08)).sense())).isEqualTo("5/24/00/CB0001");
        assertThat(DiskRig.senseSummary(DiskRig.thin().out(new byte[512], writeSame16(0, 1, 0x18)).sense()))
                .isEqualTo("5/24/00/CC0001");
        // the one block of data is missing
        assertThat(DiskRig.senseSummary(rig.out(new byte[256], writeSame16(0, 1, 0)).sense())).isEqualTo("5/24/00/C80001");
        assertThat(DiskRig.senseSummary(rig.none(writeSame10(0, 1, 0)).sense())).isEqualTo("5/24/00/000000");
    }

    @Test
    void writeSameWithUnmapDeallocatesWhateverTheBlockHolds() {
        DiskRig rig = DiskRig.thin();
        SparseRamStore ram = (SparseRamStore) rig.store.delegate;
        rig.write(0, DiskRig.filled(512 * 512, 0xFF));
        long allocated = ram.allocatedBytes();
        assertThat(rig.out(new byte[512], writeSame16(0, 512, 0x08)).status()).isEqualTo(ScsiStatus.GOOD);
        assertThat(ram.allocatedBytes()).isEqualTo(allocated - 4 * 65536);
        assertThat(rig.read(0, 512)).containsOnly(0);
        // SBC-4 5.49: UNMAP=1, ANCHOR=0 on a thin LUN deallocates; the block sent is not written (LBPRZ: zeros)
        rig.write(0, DiskRig.filled(2 * 512, 0x33));
        assertThat(rig.out(DiskRig.filled(512, 7), writeSame16(0, 2, 0x08)).status()).isEqualTo(ScsiStatus.GOOD);
        assertThat(rig.read(0, 2)).containsOnly(0);
        rig.write(40, DiskRig.filled(3 * 512, 0x33));
        assertThat(rig.out(DiskRig.filled(512, 0xFF), writeSame10(40, 3, 0x08)).status()).isEqualTo(ScsiStatus.GOOD);
        assertThat(rig.read(40, 3)).containsOnly(0);
        assertThat(rig.none(writeSame16(600, 10, 0x09)).status()).isEqualTo(ScsiStatus.GOOD); // NDOB + UNMAP
        // without UNMAP the block is written
        assertThat(rig.out(DiskRig.filled(512, 7), writeSame10(0, 2, 0)).status()).isEqualTo(ScsiStatus.GOOD);
        assertThat(rig.read(0, 2)).containsOnly(7);
    }

    /** WSNZ=0 (SBC-4 5.49): NUMBER OF LOGICAL BLOCKS 0 writes from the LBA through the last one. */
    @Test
    void writeSameOfZeroBlocksWritesThroughTheLastLba() {
        DiskRig rig = new DiskRig(DiskRig.config(512, 4096));
        rig.write(4000, DiskRig.filled(96 * 512, 0x11));
        assertThat(rig.out(DiskRig.filled(512, 0xA6), writeSame10(4010, 0, 0)).result())
                .isEqualTo(ScsiResult.good(512));
        assertThat(rig.read(4000, 10)).containsOnly(0x11);
        assertThat(rig.read(4010, 86)).containsOnly(0xA6);
        assertThat(rig.none(writeSame16(4090, 0, 0x01)).result()).isEqualTo(ScsiResult.good(0)); // NDOB
        assertThat(rig.read(4090, 6)).containsOnly(0);
        assertThat(rig.read(4089, 1)).containsOnly(0xA6);
        // from the LBA after the last: nothing to write, not an error; one further is out of range
        assertThat(rig.out(new byte[512], writeSame16(4096, 0, 0)).result()).isEqualTo(ScsiResult.good(512));
        assertThat(Hex.of(rig.out(new byte[512], writeSame10(4097, 0, 0)).sense()))
                .isEqualTo("700005000000000A00000000210000000000");
        // through the end exceeds MAXIMUM WRITE SAME LENGTH (FFFFh) on a larger disk
        assertThat(Hex.of(DiskRig.thick().out(new byte[512], writeSame16(0, 0, 0)).sense()))
                .isEqualTo("700005000000000A00000000240000C0000A");
    }

    /** The Data-Out buffer of WRITE SAME is one logical block exactly (none with NDOB): nothing else is written. */
    @Test
    void writeSameRefusesAnyOtherDataOutLength() {
        DiskRig rig = DiskRig.thin();
        rig.write(0, DiskRig.filled(512, 0x44));
        assertThat(Hex.of(rig.out(DiskRig.filled(1024, 1), writeSame10(0, 1, 0x08)).sense()))
                .isEqualTo("700005000000000A00000000240000000000");
        assertThat(Hex.of(rig.out(DiskRig.filled(256, 1), writeSame10(0, 1, 0x08)).sense()))
                .isEqualTo("700005000000000A00000000240000000000");
        assertThat(Hex.of(rig.out(DiskRig.filled(1024, 1), writeSame16(0, 1, 0)).sense()))
                .isEqualTo("700005000000000A00000000240000C80001");
        assertThat(Hex.of(rig.out(DiskRig.filled(512, 1), writeSame16(0, 1, 0x01)).sense()))
                .isEqualTo("700005000000000A00000000240000C80001");
        assertThat(rig.read(0, 1)).containsOnly(0x44);
    }

    @Test
    void unmapDeallocatesAndReadsBackZeros() {
        DiskRig rig = DiskRig.thin();
        rig.write(0, DiskRig.filled(256 * 512, 'a'));
        byte[] list = unmapList(new long[][] {{0, 128}, {130, 1}, {200, 0}});
        assertThat(rig.out(list, unmap(list.length)).result()).isEqualTo(ScsiResult.good(list.length));
        byte[] back = rig.read(0, 256);
        for (int i = 0; i < 256; i++) {
            byte expect = (i < 128 || i == 130) ? 0 : (byte) 'a';
            assertThat(back[i * 512]).as("block %d", i).isEqualTo(expect);
        }
        // blocks 0..127 were one whole chunk: deallocated; block 130 sits in a mapped chunk
        assertThat(Hex.of(rig.in(64, getLbaStatus(0, 40)).data())).isEqualTo("00000024" + "00000000"
                + "0000000000000000" + "00000080" + "01000000"
                + "0000000000000080" + "00000080" + "00000000");
    }

    @Test
    void unmapParameterChecks() {
        DiskRig rig = DiskRig.thin();
        assertThat(rig.none(unmap(0)).result()).isEqualTo(ScsiResult.good(0));
        assertThat(DiskRig.senseSummary(rig.out(new byte[6], unmap(6)).sense())).isEqualTo("5/1A/00/000000");
        byte[] empty = unmapList(new long[0][]);
        assertThat(rig.out(empty, unmap(8)).status()).isEqualTo(ScsiStatus.GOOD);
        byte[] atEnd = unmapList(new long[][] {{1 << 20, 0}});
        assertThat(rig.out(atEnd, unmap(atEnd.length)).status()).isEqualTo(ScsiStatus.GOOD);
        byte[] beyond = unmapList(new long[][] {{0, 1}, {(1 << 20) - 1, 2}});
        assertThat(rig.out(beyond, unmap(beyond.length)).sense()[12]).isEqualTo((byte) 0x21);
        byte[] many = unmapList(java.util.stream.Stream.generate(() -> new long[] {0, 0}).limit(1025)
                .toArray(long[][]::new));
        assertThat(DiskRig.senseSummary(rig.out(many, unmap(many.length)).sense())).isEqualTo("5/26/00/800002");
        byte[] tooLong = unmapList(new long[][] {{0, (1 << 20) + 1}});
        assertThat(DiskRig.senseSummary(rig.out(tooLong, unmap(tooLong.length)).sense())).isEqualTo("5/26/00/800010");
        // the parameter list is shorter than announced
        assertThat(DiskRig.senseSummary(rig.out(empty, unmap(24)).sense())).isEqualTo("5/1A/00/000000");
    }

    @Test
    void unmapIsOnlyForThinLunsAndRespectsWriteProtection() {
        assertThat(DiskRig.thick().out(new byte[8], unmap(8)).sense()[12]).isEqualTo((byte) 0x20);
        DiskRig ro = new DiskRig(DiskRig.config(512, 1 << 20).withThinProvisioning(true).withReadOnly(true));
        byte[] list = unmapList(new long[][] {{0, 1}});
        assertThat(DiskRig.senseSummary(ro.out(list, unmap(list.length)).sense())).isEqualTo("7/27/00/000000");
    }

    @Test
    void getLbaStatusReportsRunsFromTheStartingLba() {
        DiskRig rig = DiskRig.thin();
        assertThat(Hex.of(rig.in(24, getLbaStatus(0, 24)).data()))
                .isEqualTo("00000014" + "00000000" + "0000000000000000" + "00100000" + "01000000");
        rig.write(1000, new byte[512]); // maps chunk 7 (blocks 896..1023)
        assertThat(Hex.of(rig.in(24, getLbaStatus(900, 24)).data()))
                .isEqualTo("00000014" + "00000000" + "0000000000000384" + "0000007C" + "00000000");
        byte[] three = rig.in(100, getLbaStatus(0, 100)).data();
        assertThat(Bytes.u32(three, 0)).isEqualTo(4 + 3 * 16);
        assertThat(Hex.of(three).substring(16 + 32, 16 + 64)).isEqualTo("00000000000003800000008000000000");
        // short allocation: the first bytes of one descriptor
        assertThat(rig.in(100, getLbaStatus(0, 10)).data()).hasSize(10);
    }

    @Test
    void getLbaStatusOnAFullyProvisionedLunAndBeyondTheEnd() {
        DiskRig rig = DiskRig.thick();
        assertThat(Hex.of(rig.in(24, getLbaStatus(5, 24)).data()))
                .isEqualTo("00000014" + "00000000" + "0000000000000005" + "000FFFFB" + "00000000");
        assertThat(rig.in(24, getLbaStatus(1 << 20, 24)).sense()[12]).isEqualTo((byte) 0x21);
        assertThat(rig.in(24, getLbaStatus(-1L, 24)).sense()[12]).isEqualTo((byte) 0x21);
        assertThat(rig.in(24, getLbaStatus(0x8000_0000_0000_0000L, 24)).sense()[12]).isEqualTo((byte) 0x21);
    }
}
