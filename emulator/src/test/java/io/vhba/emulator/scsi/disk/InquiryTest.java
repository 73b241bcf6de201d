package io.vhba.emulator.scsi.disk;

import static io.vhba.emulator.scsi.disk.DiskRig.inquiry;
import static org.assertj.core.api.Assertions.assertThat;

import io.vhba.miniport.scsi.ScsiStatus;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class InquiryTest {

    @Test
    void standardDataIsSpc4WithVersionDescriptors() {
        DiskRig.Result r = DiskRig.thick().in(260, inquiry(0, 0, 260));
        assertThat(r.status()).isEqualTo(ScsiStatus.GOOD);
        byte[] expected = new byte[96];
        System.arraycopy(Hex.bytes("00 00 06 02 5B 08 00 02"), 0, expected, 0, 8);
        System.arraycopy("VHBA    Virtual Disk    0001".getBytes(StandardCharsets.US_ASCII), 0, expected, 8, 28);
        System.arraycopy(Hex.bytes("00A0 0960 0460 04C0"), 0, expected, 58, 8);
        assertThat(Hex.of(r.data())).isEqualTo(Hex.of(expected));
        // libiscsi Inquiry.Standard: ADDITIONAL LENGTH == size - 5
        assertThat(r.data()[4] & 0xFF).isEqualTo(r.data().length - 5);
    }

    @Test
    void removableAndTpgsAppearInTheStandardData() {
        DiskConfig c = DiskRig.config(512, 1024).withRemovable(true);
        c = new DiskConfig(c.identity(), c.geometry(), c.limits(), false, false, true, 1, 1, c.overwriteRate());
        byte[] d = new DiskRig(c).in(96, inquiry(0, 0, 96)).data();
        assertThat(d[1] & 0xFF).isEqualTo(0x80);
        assertThat(d[5] & 0xFF).isEqualTo(0x18); // TPGS 01b, 3PC
    }

    @Test
    void everyAllocationLengthTruncatesAndZeroMovesNothing() {
        DiskRig rig = DiskRig.thick();
        byte[] full = rig.in(255, inquiry(0, 0, 255)).data();
        for (int alloc = 0; alloc < 256; alloc++) {
            DiskRig.Result r = rig.in(255, inquiry(0, 0, alloc));
            assertThat(r.status()).isEqualTo(ScsiStatus.GOOD);
            assertThat(r.data()).isEqualTo(java.util.Arrays.copyOf(full, Math.min(alloc, 96)));
        }
        // a buffer shorter than the allocation length (EDTL clipped by the core) takes what fits
        assertThat(rig.in(10, inquiry(0, 0, 255)).data()).isEqualTo(java.util.Arrays.copyOf(full, 10));
    }

    @Test
    void pageCodeWithoutEvpdIsInvalidFieldInCdbPointingAtThePageCode() {
        DiskRig.Result r = DiskRig.thick().in(256, inquiry(0, 1, 256));
        assertThat(r.status()).isEqualTo(ScsiStatus.CHECK_CONDITION);
        assertThat(Hex.of(r.sense())).isEqualTo("700005000000000A00000000240000C00002");
    }

    @Test
    void unknownVpdPageAndReservedCdbBitsAreRejected() {
        DiskRig rig = DiskRig.thick();
        assertThat(DiskRig.senseSummary(rig.in(255, inquiry(1, 0x8E, 255)).sense())).isEqualTo("5/24/00/C00002");
        // CMDDT (byte 1 bit 1) is obsolete and not evaluated: the pointer names byte 1 bit 1
        assertThat(DiskRig.senseSummary(rig.in(255, inquiry(2, 0, 255)).sense())).isEqualTo("5/24/00/C90001");
    }

    @Test
    void supportedVpdPagesListsEveryPageInOrder() {
        assertThat(Hex.of(DiskRig.thick().in(255, inquiry(1, 0x00, 255)).data()))
                .isEqualTo("00000007" + "0080" + "838FB0B1B2");
    }

    @Test
    void unitSerialNumberPage() {
        assertThat(DiskRig.thick().in(255, inquiry(1, 0x80, 255)).data())
                .isEqualTo(Hex.bytes("00 80 00 06 53 4E 30 30 30 31"));
    }

    @Test
    void deviceIdentificationCarriesNaa6AndT10VendorDesignators() {
        byte[] d = DiskRig.thick().in(255, inquiry(1, 0x83, 255)).data();
        String t10 = Hex.of("VHBA    SN0001".getBytes(StandardCharsets.US_ASCII));
        assertThat(Hex.of(d)).isEqualTo("00830026"
                + "01030010" + "60014050" + "00000000" + "0123456789ABCDEF"
                + "0201000E" + t10);
    }

    @Test
    void blockLimitsReportsTheConfiguredLimitsAndUnmapOnlyWhenThin() {
        byte[] thick = DiskRig.thick().in(255, inquiry(1, 0xB0, 255)).data();
        // WSNZ 0, MAXIMUM COMPARE AND WRITE LENGTH FFh, MAXIMUM ATOMIC TRANSFER LENGTH 256 (byte 44)
        assertThat(Hex.of(thick)).isEqualTo("00B0003C" + "00FF0008" + "00004000" + "00000000" + "00000000"
                + "00000000" + "00000000" + "00000000" + "00000000" + "000000000000FFFF" + "00000100"
                + "00000000" + "00000000" + "00000000" + "00000000");
        byte[] thin = DiskRig.thin().in(255, inquiry(1, 0xB0, 255)).data();
        // MAXIMUM UNMAP LBA COUNT 1 Mi, DESCRIPTORS 1024, OPTIMAL UNMAP GRANULARITY 64 KiB / 512 = 128
        assertThat(Hex.of(thin).substring(40, 64)).isEqualTo("001000000000040000000080");
        // libiscsi Inquiry.BlockLimits: page length matches the data
        assertThat(thin.length).isEqualTo((thin[3] & 0xFF) + 4);
    }

    @Test
    void blockDeviceCharacteristicsReportsTheRotationRateAndFuab() {
        byte[] d = DiskRig.thick().in(255, inquiry(1, 0xB1, 255)).data();
        assertThat(d).hasSize(64);
        // WACEREQ 01b: CRYPTO ERASE is supported everywhere; WABEREQ 01b joins it where BLOCK ERASE is (thin)
        assertThat(Hex.of(d).substring(0, 18)).isEqualTo("00B1003C" + "0001" + "00" + "10" + "02");
        assertThat(Hex.of(DiskRig.thin().in(255, inquiry(1, 0xB1, 255)).data()).substring(14, 16)).isEqualTo("50");
    }

    @Test
    void logicalBlockProvisioningDependsOnThinProvisioning() {
        assertThat(Hex.of(DiskRig.thick().in(255, inquiry(1, 0xB2, 255)).data())).isEqualTo("00B2000400000000");
        assertThat(Hex.of(DiskRig.thin().in(255, inquiry(1, 0xB2, 255)).data())).isEqualTo("00B2000400E40200");
    }
}
