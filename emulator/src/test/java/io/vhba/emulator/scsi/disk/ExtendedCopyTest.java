package io.vhba.emulator.scsi.disk;

import static org.assertj.core.api.Assertions.assertThat;

import io.vhba.hw.ScsiResult;
import io.vhba.miniport.scsi.ScsiStatus;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** EXTENDED COPY(LID1): parameter lists in, data moved and exact sense out. */
class ExtendedCopyTest {

    static final DiskConfig.NaaIdentifier OTHER = new DiskConfig.NaaIdentifier(0x001405, 0x0000_0000_0000_0002L);

    private static DiskRig.Result xcopy(DiskRig rig, byte[] list) {
        return rig.out(list, XcopyList.cdb(list.length));
    }

    private static XcopyList self(int listId, int usage) {
        return XcopyList.with(listId, usage).identification(DiskRig.NAA, 512);
    }

    @Test
    void copiesBlocksWithinTheUnitThatReceivedTheCommand() {
        DiskRig rig = DiskRig.thick();
        byte[] data = DiskRig.pattern(2048 * 512, 3);
        rig.write(0, data);
        byte[] list = self(1, 2).blockToBlock(0, 0, 2048, 0, (1 << 20) - 2048).bytes();
        DiskRig.Result r = xcopy(rig, list);
        assertThat(r.result()).isEqualTo(ScsiResult.good(list.length));
        assertThat(rig.read((1 << 20) - 2048, 2048)).isEqualTo(data);
    }

    @Test
    void copiesBetweenTheUnitsOfACopyDomainByTheirNaaDesignators() {
        DiskRig a = DiskRig.thick();
        DiskRig b = new DiskRig(DiskConfig.of("Virtual Disk", "SN0002", OTHER, 512, 4096));
        CopyDomain domain = new CopyDomain();
        domain.register(a.unit);
        domain.register(b.unit);
        byte[] data = DiskRig.pattern(16 * 512, 9);
        a.write(40, data);
        // the command goes to b; the source is a, CSCD 1, the destination b itself, CSCD 0
        byte[] list = XcopyList.with(0, 3).identification(OTHER, 512).identification(DiskRig.NAA, 512)
                .blockToBlock(1, 0, 16, 40, 100).bytes();
        assertThat(xcopy(b, list).status()).isEqualTo(ScsiStatus.GOOD);
        assertThat(b.read(100, 16)).isEqualTo(data);
        assertThat(b.read(116, 1)).isEqualTo(new byte[512]);
    }

    @Test
    void overlappingRangesOfOneUnitCopyAsIfThroughABuffer() {
        DiskRig rig = DiskRig.thick();
        byte[] data = DiskRig.pattern(1024 * 512, 5); // 512 KiB: two staging chunks
        rig.write(0, data);
        assertThat(xcopy(rig, self(0, 3).blockToBlock(0, 0, 1024, 0, 100).bytes()).status())
                .isEqualTo(ScsiStatus.GOOD);
        assertThat(rig.read(100, 1024)).isEqualTo(data);
        assertThat(rig.read(0, 100)).isEqualTo(Arrays.copyOf(data, 100 * 512));
    }

    @Test
    void anEmptyParameterListCopiesNothing() {
        DiskRig rig = DiskRig.thick();
        assertThat(rig.out(new byte[0], XcopyList.cdb(0)).result()).isEqualTo(ScsiResult.good(0));
    }

    @Test
    void aListShorterThanItsHeaderSaysIsAParameterListLengthError() {
        DiskRig rig = DiskRig.thick();
        byte[] list = self(1, 0).blockToBlock(0, 0, 8, 0, 8).bytes();
        for (int cut : new int[] {15, 16 + 31, list.length - 1}) {
            byte[] shorter = Arrays.copyOf(list, cut);
            assertThat(Hex.of(xcopy(rig, shorter).sense())).isEqualTo("700005000000000A000000001A0000000000");
        }
    }

    @Test
    void descriptorCountsAndListLengthAboveTheLimitsAreRefused() {
        DiskRig rig = DiskRig.thick();
        XcopyList tooManyCscds = XcopyList.with(1, 0);
        for (int i = 0; i < 17; i++) {
            tooManyCscds.identification(DiskRig.NAA, 512);
        }
        assertThat(Hex.of(xcopy(rig, tooManyCscds.blockToBlock(0, 0, 1, 0, 1).bytes()).sense()))
                .isEqualTo("700005000000000A00000000260600000000");
        XcopyList tooManySegments = self(2, 0);
        for (int i = 0; i < 65; i++) {
            tooManySegments.blockToBlock(0, 0, 1, 0, 1);
        }
        assertThat(Hex.of(xcopy(rig, tooManySegments.bytes()).sense()))
                .isEqualTo("700005000000000A00000000260800000000");
        XcopyList tooLong = XcopyList.with(3, 0);
        for (int i = 0; i < 17; i++) {
            tooLong.identification(DiskRig.NAA, 512);
        }
        for (int i = 0; i < 65; i++) {
            tooLong.blockToBlock(0, 0, 1, 0, 1);
        }
        assertThat(Hex.of(xcopy(rig, tooLong.bytes()).sense())).isEqualTo("700005000000000A000000001A0000000000");
    }

    @Test
    void unsupportedDescriptorTypesAreNamedAsSuch() {
        DiskRig rig = DiskRig.thick();
        byte[] fibreChannel = XcopyList.with(1, 0).cscd(0xE0, new byte[8], 512).blockToBlock(0, 0, 1, 0, 1).bytes();
        assertThat(Hex.of(xcopy(rig, fibreChannel).sense())).isEqualTo("700005000000000A00000000260700000000");
        byte[] streamToStream = self(1, 0).segment(0x03, 20).bytes();
        assertThat(Hex.of(xcopy(rig, streamToStream).sense())).isEqualTo("700005000000000A00000000260900000000");
    }

    @Test
    void headerFieldsAreChecked() {
        DiskRig rig = DiskRig.thick();
        // LIST ID USAGE 11b (no list identifier) with a list identifier: INVALID FIELD IN PARAMETER LIST at byte 0
        assertThat(Hex.of(xcopy(rig, self(5, 3).blockToBlock(0, 0, 1, 0, 1).bytes()).sense()))
                .isEqualTo("700005000000000A00000000260000800000");
        // LIST ID USAGE 01b is reserved: byte 1 bit 4
        assertThat(Hex.of(xcopy(rig, self(5, 1).blockToBlock(0, 0, 1, 0, 1).bytes()).sense()))
                .isEqualTo("700005000000000A000000002600008C0001");
    }

    @Test
    void anUnknownCscdIndexOrDesignatorIsCopyTargetDeviceNotReachable() {
        DiskRig rig = DiskRig.thick();
        // DESTINATION CSCD DESCRIPTOR INDEX 1 of one descriptor: segment pointer to byte 54 (16 + 32 + 6)
        assertThat(Hex.of(xcopy(rig, self(1, 0).blockToBlock(0, 1, 8, 0, 8).bytes()).sense()))
                .isEqualTo("70000A000000000A000000000D0200800036");
        // a designator no unit of the domain has: pointer to the CSCD's designator fields (byte 20)
        byte[] unknown = XcopyList.with(1, 0).identification(OTHER, 512).blockToBlock(0, 0, 8, 0, 8).bytes();
        assertThat(Hex.of(xcopy(rig, unknown).sense())).isEqualTo("70000A000000000A000000000D0200800014");
    }

    @Test
    void aRangeBeyondTheCapacityAbortsTheCopyAndWritesNothing() {
        DiskRig rig = DiskRig.thick();
        rig.write(0, DiskRig.filled(2048 * 512, 'A'));
        long last = (1 << 20) - 1;
        // DESTINATION BLOCK DEVICE LOGICAL BLOCK ADDRESS at byte 68 (16 + 32 + 20)
        assertThat(Hex.of(xcopy(rig, self(1, 0).blockToBlock(0, 0, 2048, 0, last).bytes()).sense()))
                .isEqualTo("70000A000000000A00000000000000800044");
        assertThat(rig.read(last, 1)).isEqualTo(new byte[512]);
    }

    @Test
    void aWriteProtectedDestinationAbortsTheCopy() {
        DiskRig rig = new DiskRig(DiskRig.config(512, 4096).withReadOnly(true));
        assertThat(Hex.of(xcopy(rig, self(1, 0).blockToBlock(0, 0, 8, 0, 8).bytes()).sense()))
                .isEqualTo("70000A000000000A00000000000000800036");
    }

    @Test
    void aCscdBlockLengthThatIsNotTheUnitsIsAnInvalidField() {
        DiskRig rig = DiskRig.thick();
        byte[] list = XcopyList.with(1, 0).identification(DiskRig.NAA, 4096).blockToBlock(0, 0, 8, 0, 8).bytes();
        // DISK BLOCK LENGTH at byte 45 (16 + 29)
        assertThat(Hex.of(xcopy(rig, list).sense())).isEqualTo("700005000000000A0000000026000080002D");
    }
}
