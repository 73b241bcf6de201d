package io.vhba.emulator.scsi.disk;

import static org.assertj.core.api.Assertions.assertThat;

import io.vhba.miniport.scsi.ScsiStatus;
import org.junit.jupiter.api.Test;

class ReadCapacityTest {

    private static final int[] RC10 = {0x25, 0, 0, 0, 0, 0, 0, 0, 0, 0};

    @Test
    void readCapacity10ReturnsTheLastLbaAndBlockLength() {
        DiskRig.Result r = DiskRig.thick().in(8, RC10);
        assertThat(Hex.of(r.data())).isEqualTo("000FFFFF" + "00000200");
    }

    @Test
    void readCapacity10SaturatesWhenTheLastLbaDoesNotFit() {
        DiskRig rig = new DiskRig(DiskRig.config(4096, 0x1_0000_0001L)); // 16 TiB + 4 KiB, sparse
        assertThat(Hex.of(rig.in(8, RC10).data())).isEqualTo("FFFFFFFF" + "00001000");
        assertThat(Hex.of(rig.in(32, DiskRig.readCapacity16(32)).data()).substring(0, 24))
                .isEqualTo("0000000100000000" + "00001000");
        // exactly 2^32 blocks: last LBA FFFFFFFFh still saturates
        DiskRig edge = new DiskRig(DiskRig.config(4096, 0x1_0000_0000L));
        assertThat(Hex.of(edge.in(8, RC10).data())).isEqualTo("FFFFFFFF00001000");
    }

    @Test
    void readCapacity16ReportsProvisioningAndPhysicalBlockExponent() {
        assertThat(Hex.of(DiskRig.thick().in(32, DiskRig.readCapacity16(32)).data()))
                .isEqualTo("00000000000FFFFF" + "00000200" + "00" + "00" + "0000" + "0".repeat(32));
        DiskConfig c = DiskRig.config(512, 1 << 20).withThinProvisioning(true)
                .withGeometry(new DiskConfig.Geometry(512, 1 << 20, 3));
        assertThat(Hex.of(new DiskRig(c).in(32, DiskRig.readCapacity16(32)).data()).substring(24, 32))
                .isEqualTo("0003C000"); // LBPPBE 3 (512e), LBPME, LBPRZ
    }

    /** 512e and 4Kn as LunConfig physicalBlockSize gives them: LBPPBE of READ CAPACITY(16) byte 13. */
    @Test
    void physicalBlockSizeBecomesTheExponent() {
        DiskConfig.Geometry e512 = DiskConfig.Geometry.withPhysicalBlockSize(512, 1 << 20, 4096);
        assertThat(e512.physicalBlockExponent()).isEqualTo(3);
        assertThat(e512.logicalPerPhysical()).isEqualTo(8);
        assertThat(DiskConfig.Geometry.withPhysicalBlockSize(4096, 1 << 10, 4096).physicalBlockExponent()).isZero();
        assertThat(DiskConfig.Geometry.withPhysicalBlockSize(512, 1 << 10, 512).physicalBlockExponent()).isZero();
        DiskRig rig = new DiskRig(DiskRig.config(512, 1 << 20).withGeometry(e512));
        assertThat(Hex.of(rig.in(32, DiskRig.readCapacity16(32)).data()))
                .isEqualTo("00000000000FFFFF" + "00000200" + "00" + "03" + "0000" + "0".repeat(32));
        for (int bad : new int[] {256, 1536, 3072, 512 << 16}) {
            org.assertj.core.api.Assertions.assertThatThrownBy(
                    () -> DiskConfig.Geometry.withPhysicalBlockSize(512, 1 << 10, bad))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("physicalBlockSize");
        }
    }

    @Test
    void readCapacity16TruncatesToEveryAllocationLength() {
        DiskRig rig = DiskRig.thin();
        byte[] full = rig.in(32, DiskRig.readCapacity16(32)).data();
        for (int alloc = 0; alloc < 40; alloc++) {
            DiskRig.Result r = rig.in(64, DiskRig.readCapacity16(alloc));
            assertThat(r.status()).isEqualTo(ScsiStatus.GOOD);
            assertThat(r.data()).isEqualTo(java.util.Arrays.copyOf(full, Math.min(alloc, 32)));
        }
    }

    @Test
    void obsoleteLbaWithoutPmiIsInvalidField() {
        DiskRig rig = DiskRig.thick();
        assertThat(DiskRig.senseSummary(rig.in(8, 0x25, 0, 0, 0, 0, 1, 0, 0, 0, 0).sense())).isEqualTo("5/24/00/C00002");
        assertThat(rig.in(8, 0x25, 0, 0, 0, 0, 1, 0, 0, 1, 0).status()).isEqualTo(ScsiStatus.GOOD);
    }
}
