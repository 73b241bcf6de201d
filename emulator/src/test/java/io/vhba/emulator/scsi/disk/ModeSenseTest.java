package io.vhba.emulator.scsi.disk;

import static io.vhba.emulator.scsi.disk.DiskRig.modeSense10;
import static io.vhba.emulator.scsi.disk.DiskRig.modeSense6;
import static org.assertj.core.api.Assertions.assertThat;

import io.vhba.miniport.scsi.ScsiStatus;
import org.junit.jupiter.api.Test;

class ModeSenseTest {

    static final String CACHING = "0812" + "04" + "00".repeat(17);
    static final String CONTROL = "0A0A" + "02100000" + "0000" + "0000" + "0000";
    static final String IEC = "1C0A" + "0800" + "00".repeat(8);

    @Test
    void allPagesWithTheShortBlockDescriptor() {
        DiskRig.Result r = DiskRig.thick().in(255, modeSense6(0, 0x3F, 0, 255));
        assertThat(r.status()).isEqualTo(ScsiStatus.GOOD);
        assertThat(Hex.of(r.data())).isEqualTo("37001008" + "0010000000000200" + CACHING + CONTROL + IEC);
    }

    @Test
    void dbdDropsTheBlockDescriptorAndSinglePagesComeAlone() {
        DiskRig rig = DiskRig.thick();
        assertThat(Hex.of(rig.in(255, modeSense6(0x08, 0x08, 0, 255)).data())).isEqualTo("17001000" + CACHING);
        assertThat(Hex.of(rig.in(255, modeSense6(0x08, 0x0A, 0, 255)).data())).isEqualTo("0F001000" + CONTROL);
        assertThat(Hex.of(rig.in(255, modeSense6(0x08, 0x1C, 0, 255)).data())).isEqualTo("0F001000" + IEC);
        // subpage FFh with page 3Fh: all pages and subpages (there are none) is the same list
        assertThat(rig.in(255, modeSense6(0x08, 0x3F, 0xFF, 255)).data()).hasSize(48);
    }

    @Test
    void everyAllocationLengthTruncatesWithoutError() {
        DiskRig rig = DiskRig.thick();
        byte[] full = rig.in(255, modeSense6(0, 0x3F, 0, 255)).data();
        for (int alloc = 0; alloc <= 255; alloc++) {
            DiskRig.Result r = rig.in(255, modeSense6(0, 0x3F, 0, alloc));
            assertThat(r.status()).isEqualTo(ScsiStatus.GOOD);
            assertThat(r.data()).isEqualTo(java.util.Arrays.copyOf(full, Math.min(alloc, full.length)));
        }
    }

    @Test
    void changeableAndDefaultValues() {
        DiskRig rig = DiskRig.thick();
        assertThat(Hex.of(rig.in(255, modeSense6(0x08, 0x40 | 0x3F, 0, 255)).data()))
                .isEqualTo("2F001000" + "0812" + "04" + "00".repeat(17) + "0A0A" + "0000" + "08" + "00".repeat(7)
                        + "1C0A" + "00".repeat(10));
        assertThat(Hex.of(rig.in(255, modeSense6(0x08, 0x80 | 0x3F, 0, 255)).data()))
                .isEqualTo("2F001000" + CACHING + CONTROL + IEC);
    }

    @Test
    void savedValuesNeedASaveLocation() {
        assertThat(DiskRig.senseSummary(DiskRig.thick().in(255, modeSense6(0, 0xC0 | 0x08, 0, 255)).sense()))
                .isEqualTo("5/39/00/000000");
    }

    @Test
    void modeSense10WithLongLbaDescriptor() {
        assertThat(Hex.of(DiskRig.thick().in(512, modeSense10(0x10, 0x08, 0, 512)).data()))
                .isEqualTo("002A" + "00" + "10" + "01" + "00" + "0010"
                        + "0000000000100000" + "00000000" + "00000200" + CACHING);
        assertThat(Hex.of(DiskRig.thick().in(512, modeSense10(0x00, 0x0A, 0, 512)).data()))
                .isEqualTo("001A" + "00" + "10" + "00" + "00" + "0008" + "0010000000000200" + CONTROL);
    }

    @Test
    void shortDescriptorSaturatesForHugeDisks() {
        DiskRig rig = new DiskRig(DiskRig.config(4096, 0x2_0000_0000L));
        assertThat(Hex.of(rig.in(255, modeSense6(0, 0x0A, 0, 255)).data()).substring(8, 24))
                .isEqualTo("FFFFFFFF00001000");
    }

    @Test
    void writeProtectAppearsInTheDeviceSpecificParameter() {
        DiskRig rig = new DiskRig(DiskRig.config(512, 1024).withReadOnly(true));
        assertThat(rig.in(4, modeSense6(0, 0x3F, 0, 4)).data()[2] & 0xFF).isEqualTo(0x90);
    }

    @Test
    void unknownPagesAndSubpagesAreInvalidFields() {
        DiskRig rig = DiskRig.thick();
        assertThat(DiskRig.senseSummary(rig.in(255, modeSense6(0, 0x19, 0, 255)).sense())).isEqualTo("5/24/00/CD0002");
        assertThat(DiskRig.senseSummary(rig.in(255, modeSense6(0, 0x08, 1, 255)).sense())).isEqualTo("5/24/00/C00003");
        // LLBAA is not a MODE SENSE(6) bit
        assertThat(DiskRig.senseSummary(rig.in(255, modeSense6(0x10, 0x08, 0, 255)).sense())).isEqualTo("5/24/00/CC0001");
    }
}
