package io.vhba.emulator.scsi.disk;

import static org.assertj.core.api.Assertions.assertThat;

import io.vhba.miniport.scsi.ScsiStatus;
import org.junit.jupiter.api.Test;

/** RECEIVE COPY RESULTS, VPD 8Fh and the INQUIRY 3PC bit: exact parameter data. */
class ReceiveCopyResultsTest {

    private static final int COPY_STATUS = 0x00;
    private static final int OPERATING_PARAMETERS = 0x03;
    private static final int FAILED_SEGMENT_DETAILS = 0x04;

    private static DiskRig.Result xcopy(DiskRig rig, int listId, int usage, long destination) {
        byte[] list = XcopyList.with(listId, usage).identification(DiskRig.NAA, 512)
                .blockToBlock(0, 0, 8, 0, destination).bytes();
        return rig.out(list, XcopyList.cdb(list.length));
    }

    @Test
    void copyStatusOfAnUnknownListIdentifierIsInvalidFieldInCdb() {
        DiskRig rig = DiskRig.thick();
        assertThat(Hex.of(rig.in(1024, XcopyList.receive(COPY_STATUS, 1, 1024)).sense()))
                .isEqualTo("700005000000000A00000000240000C00002");
    }

    @Test
    void aHeldCopyReportsItsStatusOnceThenIsDiscarded() {
        DiskRig rig = DiskRig.thick();
        assertThat(xcopy(rig, 7, 0, 100).status()).isEqualTo(ScsiStatus.GOOD);
        // AVAILABLE DATA 8, completed without errors, 1 segment, 4096 bytes (units: bytes)
        assertThat(Hex.of(rig.in(1024, XcopyList.receive(COPY_STATUS, 7, 1024)).data()))
                .isEqualTo("00000008" + "01" + "0001" + "00" + "00001000");
        assertThat(rig.in(1024, XcopyList.receive(COPY_STATUS, 7, 1024)).status())
                .isEqualTo(ScsiStatus.CHECK_CONDITION);
    }

    @Test
    void aTruncatedStatusStaysHeldUntilReturnedWhole() {
        DiskRig rig = DiskRig.thick();
        xcopy(rig, 7, 0, 100);
        assertThat(Hex.of(rig.in(1024, XcopyList.receive(COPY_STATUS, 7, 4)).data())).isEqualTo("00000008");
        assertThat(rig.in(1024, XcopyList.receive(COPY_STATUS, 7, 1024)).data()).hasSize(12);
    }

    @Test
    void discardUsageAndNexusLossLeaveNothingHeld() {
        DiskRig rig = DiskRig.thick();
        assertThat(xcopy(rig, 3, 2, 100).status()).isEqualTo(ScsiStatus.GOOD); // LIST ID USAGE 10b
        assertThat(rig.in(1024, XcopyList.receive(COPY_STATUS, 3, 1024)).status())
                .isEqualTo(ScsiStatus.CHECK_CONDITION);
        xcopy(rig, 4, 0, 100);
        rig.unit.discardHeldCopyResults();
        assertThat(rig.in(1024, XcopyList.receive(COPY_STATUS, 4, 1024)).status())
                .isEqualTo(ScsiStatus.CHECK_CONDITION);
    }

    @Test
    void aFailedCopyIsHeldWithItsStatusAndSense() {
        DiskRig rig = DiskRig.thick();
        DiskRig.Result failed = xcopy(rig, 9, 0, (1 << 20) - 1);
        assertThat(failed.status()).isEqualTo(ScsiStatus.CHECK_CONDITION);
        // completed with errors, no segment processed, nothing transferred
        assertThat(Hex.of(rig.in(1024, XcopyList.receive(COPY_STATUS, 9, 1024)).data()))
                .isEqualTo("00000008" + "02" + "0000" + "00" + "00000000");
        byte[] details = rig.in(1024, XcopyList.receive(FAILED_SEGMENT_DETAILS, 9, 1024)).data();
        // AVAILABLE DATA 74, reserved to byte 55, COPY COMMAND STATUS CHECK CONDITION, SENSE DATA LENGTH 18, sense
        assertThat(Hex.of(details)).isEqualTo("0000004A" + "00".repeat(52) + "02" + "00" + "0012"
                + Hex.of(failed.sense()));
        // returned whole: discarded, AVAILABLE DATA 0 from now on
        assertThat(Hex.of(rig.in(1024, XcopyList.receive(FAILED_SEGMENT_DETAILS, 9, 1024)).data()))
                .isEqualTo("00000000");
    }

    @Test
    void operatingParametersReportTheLimitsTheCopyManagerEnforces() {
        DiskRig rig = DiskRig.thick();
        assertThat(Hex.of(rig.in(1024, XcopyList.receive(OPERATING_PARAMETERS, 0, 1024)).data())).isEqualTo(
                "0000002A" + "01000000" + "0010" + "0040" + "00000800" + "01FFFE00" + "00000000" + "00000000"
                + "00000000" + "0000" + "0008" + "08" + "09" + "00" + "00" + "000000" + "02" + "02E4");
    }

    @Test
    void receiveDataIsNotOffered() {
        DiskRig rig = DiskRig.thick();
        assertThat(DiskRig.senseSummary(rig.in(1024, XcopyList.receive(0x01, 0, 1024)).sense()))
                .isEqualTo("5/24/00/CC0001"); // SERVICE ACTION: byte 1 bit 4
    }

    @Test
    void thirdPartyCopyVpdPageListsTheLid1CommandsAndDescriptors() {
        DiskRig rig = DiskRig.thick();
        assertThat(Hex.of(rig.in(1024, DiskRig.inquiry(1, 0x8F, 1024)).data())).isEqualTo("008F0064"
                // Supported Commands: 83h {00h}, 84h {00h, 03h, 04h}
                + "0001000C" + "08" + "830100" + "8403000304" + "000000"
                // Parameter Data: 16 CSCD descriptors, 64 segment descriptors, 2048-byte lists, no inline data
                + "0008001C" + "00000000" + "0010" + "0040" + "00000800" + "00000000" + "00".repeat(12)
                // Supported Descriptors: block to block, identification
                + "00090004" + "02" + "02E4" + "00"
                // Supported CSCD Descriptor IDs: none
                + "000A0004" + "00000000"
                // General Copy Operations: 8 copies, 8 identified, 65535 blocks per segment, 2^9 granularity
                + "80010020" + "00000008" + "00000008" + "01FFFE00" + "09" + "00" + "00".repeat(18));
    }
}
