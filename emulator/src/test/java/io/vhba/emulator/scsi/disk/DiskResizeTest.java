package io.vhba.emulator.scsi.disk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vhba.miniport.scsi.ScsiStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link DiskLogicalUnit#resize}: the capacity a running disk reports and enforces (SBC-4 4.6). */
class DiskResizeTest {

    private static final int[] RC10 = {0x25, 0, 0, 0, 0, 0, 0, 0, 0, 0};
    /** CHECK CONDITION sense: ILLEGAL REQUEST, LOGICAL BLOCK ADDRESS OUT OF RANGE (21h/00h), fixed format. */
    private static final String LBA_OUT_OF_RANGE = "700005000000000A00000000210000000000";

    @TempDir
    Path dir;

    /** READ CAPACITY(16) parameter data of a thick 512n disk with {@code lastLba}. */
    private static String rc16(String lastLba) {
        return lastLba + "00000200" + "00" + "00" + "0000" + "0".repeat(32);
    }

    @Test
    void readCapacityReportsTheGrownAndTheShrunkSize() {
        DiskRig rig = new DiskRig(DiskRig.config(512, 2048));
        assertThat(Hex.of(rig.in(32, DiskRig.readCapacity16(32)).data())).isEqualTo(rc16("00000000000007FF"));

        rig.unit.resize(4096L * 512);
        assertThat(Hex.of(rig.in(32, DiskRig.readCapacity16(32)).data())).isEqualTo(rc16("0000000000000FFF"));
        assertThat(Hex.of(rig.in(8, RC10).data())).isEqualTo("00000FFF00000200");
        // the mode parameter block descriptor: NUMBER OF LOGICAL BLOCKS, then the block length
        assertThat(Hex.of(rig.in(255, DiskRig.modeSense6(0, 0x08, 0, 255)).data()).substring(8, 24))
                .isEqualTo("00001000" + "00000200");

        rig.unit.resize(1000L * 512);
        assertThat(Hex.of(rig.in(32, DiskRig.readCapacity16(32)).data())).isEqualTo(rc16("00000000000003E7"));
        assertThat(Hex.of(rig.in(8, RC10).data())).isEqualTo("000003E700000200");
        assertThat(rig.unit.config().logicalBlocks()).isEqualTo(1000);
        assertThat(rig.store.capacity()).isEqualTo(1000L * 512);
    }

    @Test
    void aGrownDiskReadsZerosPastTheOldEndAndKeepsItsData() {
        DiskRig rig = new DiskRig(DiskRig.config(512, 2048));
        byte[] last = DiskRig.pattern(4 * 512, 7);
        rig.write(2044, last);
        assertThat(Hex.of(rig.in(512, DiskRig.read16(2048, 1)).sense())).isEqualTo(LBA_OUT_OF_RANGE);

        rig.unit.resize(4096L * 512);
        assertThat(rig.read(2044, 4)).isEqualTo(last);
        assertThat(rig.read(2048, 2048)).containsOnly(0);
        byte[] fresh = DiskRig.pattern(512, 9);
        rig.write(4095, fresh); // the new last LBA takes writes
        assertThat(rig.read(4095, 1)).isEqualTo(fresh);
    }

    @Test
    void aShrunkDiskRefusesLbasPastTheNewEndAndKeepsTheDataBelowIt() {
        DiskRig rig = new DiskRig(DiskRig.config(512, 2048));
        byte[] data = DiskRig.pattern(20 * 512, 3);
        rig.write(990, data);

        rig.unit.resize(1000L * 512);
        DiskRig.Result past = rig.in(512, DiskRig.read16(1000, 1));
        assertThat(past.status()).isEqualTo(ScsiStatus.CHECK_CONDITION);
        assertThat(Hex.of(past.sense())).isEqualTo(LBA_OUT_OF_RANGE);
        assertThat(Hex.of(rig.in(5120, DiskRig.read10(995, 10)).sense())).as("a read across the new end")
                .isEqualTo(LBA_OUT_OF_RANGE);
        assertThat(Hex.of(rig.out(new byte[512], DiskRig.write16(1000, 1, 0)).sense())).isEqualTo(LBA_OUT_OF_RANGE);
        assertThat(rig.read(990, 10)).isEqualTo(java.util.Arrays.copyOf(data, 10 * 512));
        assertThat(rig.read(999, 1)).as("the new last LBA").isEqualTo(java.util.Arrays.copyOfRange(data, 9 * 512,
                10 * 512));

        // grown back, the blocks the shrink dropped read zeros: 1000 cuts a 64 KiB chunk of the store in two
        rig.unit.resize(2048L * 512);
        byte[] again = rig.read(990, 20);
        assertThat(java.util.Arrays.copyOf(again, 10 * 512)).isEqualTo(java.util.Arrays.copyOf(data, 10 * 512));
        assertThat(java.util.Arrays.copyOfRange(again, 10 * 512, 20 * 512)).containsOnly(0);
    }

    @Test
    void aThinDiskDeallocatesGrownSpaceAndReleasesWhatAShrinkDrops() {
        DiskRig rig = new DiskRig(DiskRig.config(512, 2048).withThinProvisioning(true));
        rig.write(0, DiskRig.filled(2048 * 512, 0x5A));
        SparseRamStore ram = (SparseRamStore) rig.store.delegate;
        assertThat(ram.allocatedBytes()).isEqualTo(1L << 20);

        rig.unit.resize(4096L * 512);
        // GET LBA STATUS: LBAs 0..2047 mapped, 2048..4095 deallocated (SBC-4 5.8.2)
        assertThat(Hex.of(rig.in(64, ProvisioningTest.getLbaStatus(0, 40)).data())).isEqualTo("00000024" + "00000000"
                + "0000000000000000" + "00000800" + "00" + "000000"
                + "0000000000000800" + "00000800" + "01" + "000000");

        rig.unit.resize(1024L * 512);
        assertThat(ram.allocatedBytes()).as("the chunks past the new end are released").isEqualTo(1024L * 512);
        assertThat(Hex.of(rig.in(64, ProvisioningTest.getLbaStatus(1024, 40)).sense())).isEqualTo(LBA_OUT_OF_RANGE);
        assertThat(Hex.of(rig.in(64, ProvisioningTest.getLbaStatus(1000, 40)).data()))
                .isEqualTo("00000014" + "00000000" + "00000000000003E8" + "00000018" + "00" + "000000");
    }

    @Test
    void aReadOnlyDiskMayBeResized() {
        DiskRig rig = new DiskRig(DiskRig.config(512, 2048).withReadOnly(true));
        rig.unit.resize(3072L * 512);
        assertThat(Hex.of(rig.in(32, DiskRig.readCapacity16(32)).data())).isEqualTo(rc16("0000000000000BFF"));
        assertThat(rig.read(3071, 1)).containsOnly(0);
        assertThat(DiskRig.senseSummary(rig.out(new byte[512], DiskRig.write16(3071, 1, 0)).sense()))
                .as("still write protected").isEqualTo("7/27/00/000000");
    }

    @Test
    void aCapacityThatIsNotAPositiveMultipleOfTheBlockIsRefusedAndChangesNothing() {
        DiskRig rig = new DiskRig(DiskRig.config(4096, 256));
        for (long bad : new long[] {0, -4096, 4096 * 10 + 512, 1}) {
            assertThatThrownBy(() -> rig.unit.resize(bad)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("capacity " + bad + " is not a positive multiple of the 4096-byte logical block size");
        }
        assertThat(Hex.of(rig.in(8, RC10).data())).isEqualTo("000000FF00001000");
    }

    @Test
    void aFileBackedDiskExtendsAndTruncatesItsFile() throws Exception {
        Path f = dir.resolve("lun.img");
        try (FileStore store = FileStore.open(f, 2048L * 512)) {
            DiskLogicalUnit unit = new DiskLogicalUnit(DiskRig.config(512, 2048), store);
            byte[] data = DiskRig.pattern(8 * 512, 5);
            write(unit, 1000, data);

            unit.resize(8192L * 512);
            assertThat(Files.size(f)).isEqualTo(8192L * 512);
            assertThat(read(unit, 8191, 1)).containsOnly(0);

            unit.resize(1004L * 512);
            assertThat(Files.size(f)).isEqualTo(1004L * 512);
            assertThat(read(unit, 1000, 4)).isEqualTo(java.util.Arrays.copyOf(data, 4 * 512));

            unit.resize(1008L * 512);
            byte[] back = read(unit, 1000, 8);
            assertThat(java.util.Arrays.copyOf(back, 4 * 512)).isEqualTo(java.util.Arrays.copyOf(data, 4 * 512));
            assertThat(java.util.Arrays.copyOfRange(back, 4 * 512, 8 * 512)).as("truncated, then grown: zeros")
                    .containsOnly(0);
        }
    }

    /**
     * Commands racing a resize that moves the end across their range answer GOOD or LBA OUT OF RANGE: each one's
     * range is checked again under its lock, so none reaches the store outside its capacity.
     */
    @Test
    void commandsRacingResizesAnswerGoodOrLbaOutOfRange() throws Exception {
        DiskRig rig = new DiskRig(DiskRig.config(512, 4096).withThinProvisioning(true));
        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            List<Future<List<String>>> workers = new ArrayList<>();
            List<int[]> commands = List.of(DiskRig.read16(3000, 64), DiskRig.write16(3000, 64, 0),
                    ProvisioningTest.getLbaStatus(3000, 64));
            for (int[] cdb : commands) {
                workers.add(pool.submit(() -> {
                    List<String> unexpected = new ArrayList<>();
                    byte[] data = DiskRig.filled(64 * 512, 0x3C);
                    while (!stop.get()) {
                        DiskRig.Result r = cdb[0] == 0x8A ? rig.out(data, cdb) : rig.in(64 * 512, cdb);
                        if (r.status() != ScsiStatus.GOOD && !Hex.of(r.sense()).equals(LBA_OUT_OF_RANGE)) {
                            unexpected.add(Hex.of(r.sense()));
                        }
                    }
                    return unexpected;
                }));
            }
            for (int i = 0; i < 300; i++) {
                rig.unit.resize((i % 2 == 0 ? 2048L : 4096L) * 512);
            }
            stop.set(true);
            for (Future<List<String>> w : workers) {
                assertThat(w.get()).isEmpty();
            }
        } finally {
            stop.set(true);
            pool.shutdownNow();
        }
        assertThat(Hex.of(rig.in(32, DiskRig.readCapacity16(32)).data()).substring(0, 16))
                .isEqualTo("0000000000000FFF");
    }

    private static void write(DiskLogicalUnit unit, long lba, byte[] data) {
        TestBuffer buf = new TestBuffer(data);
        byte[] cdb = DiskRig.bytes(DiskRig.write16(lba, data.length / 512, 0));
        assertThat(unit.execute(new io.vhba.hw.ScsiCommand(cdb, cdb.length, io.vhba.hw.DataDirection.OUT, buf, 0))
                .status()).isEqualTo(ScsiStatus.GOOD);
    }

    private static byte[] read(DiskLogicalUnit unit, long lba, int blocks) {
        TestBuffer buf = new TestBuffer(blocks * 512);
        byte[] cdb = DiskRig.bytes(DiskRig.read16(lba, blocks));
        assertThat(unit.execute(new io.vhba.hw.ScsiCommand(cdb, cdb.length, io.vhba.hw.DataDirection.IN, buf, 0))
                .status()).isEqualTo(ScsiStatus.GOOD);
        return buf.bytes;
    }
}
