package io.vhba.emulator.scsi.disk;

import static org.assertj.core.api.Assertions.assertThat;

import io.vhba.hw.ScsiResult;
import io.vhba.miniport.scsi.ScsiStatus;
import org.junit.jupiter.api.Test;

class DispatchTest {

    @Test
    void unknownOperationCodeIsInvalidCommandOperationCode() {
        DiskRig rig = DiskRig.thick();
        assertThat(Hex.of(rig.none(0xC0, 0, 0, 0, 0, 0).sense())).isEqualTo("700005000000000A00000000200000000000");
        // REPORT LUNS and PERSISTENT RESERVE IN are the target core's
        assertThat(rig.in(64, 0xA0, 0, 0, 0, 0, 0, 0, 0, 0, 64, 0, 0).sense()[12]).isEqualTo((byte) 0x20);
        assertThat(rig.in(64, 0x5E, 0, 0, 0, 0, 0, 0, 0, 64, 0).sense()[12]).isEqualTo((byte) 0x20);
    }

    @Test
    void unknownServiceActionIsInvalidFieldPointingAtTheServiceAction() {
        DiskRig.Result r = DiskRig.thick().in(32, 0x9E, 0x11, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 32, 0, 0);
        assertThat(Hex.of(r.sense())).isEqualTo("700005000000000A00000000240000CC0001");
    }

    @Test
    void controlByteBitsAreRejected() {
        // NACA (bit 2 of the control byte) is not supported by this device
        assertThat(DiskRig.senseSummary(DiskRig.thick().none(0, 0, 0, 0, 0, 0x04).sense())).isEqualTo("5/24/00/CA0005");
    }

    @Test
    void testUnitReadyIsGood() {
        assertThat(DiskRig.thick().none(0, 0, 0, 0, 0, 0).result()).isEqualTo(ScsiResult.good(0));
    }

    @Test
    void requestSenseReportsNoSenseAndTruncates() {
        DiskRig rig = DiskRig.thick();
        assertThat(Hex.of(rig.in(252, 0x03, 0, 0, 0, 252, 0).data())).isEqualTo("700000000000000A00000000000000000000");
        assertThat(rig.in(252, 0x03, 0, 0, 0, 8, 0).data()).hasSize(8);
        // descriptor format is not supported
        assertThat(DiskRig.senseSummary(rig.in(252, 0x03, 1, 0, 0, 252, 0).sense())).isEqualTo("5/24/00/C80001");
    }

    @Test
    void startStopUnitFlushesWhenStoppingAndNeverBlocksAccess() {
        DiskRig rig = DiskRig.thick();
        int before = rig.store.flushes.get();
        assertThat(rig.none(0x1B, 0, 0, 0, 0x00, 0).status()).isEqualTo(ScsiStatus.GOOD); // STOP
        assertThat(rig.store.flushes.get()).isEqualTo(before + 1);
        assertThat(rig.none(0x1B, 0, 0, 0, 0x04, 0).status()).isEqualTo(ScsiStatus.GOOD); // STOP, NO_FLUSH
        assertThat(rig.store.flushes.get()).isEqualTo(before + 1);
        assertThat(rig.none(0, 0, 0, 0, 0, 0).status()).isEqualTo(ScsiStatus.GOOD);
        assertThat(rig.none(0x1B, 1, 0, 0, 0x01, 0).status()).isEqualTo(ScsiStatus.GOOD); // IMMED START
        assertThat(rig.none(0x1B, 0, 0, 0, 0x30, 0).status()).isEqualTo(ScsiStatus.GOOD); // POWER CONDITION 3
        // LOEJ is not a bit of a fixed disk
        assertThat(DiskRig.senseSummary(rig.none(0x1B, 0, 0, 0, 0x02, 0).sense())).isEqualTo("5/24/00/C90004");
    }

    @Test
    void synchronizeCacheForcesTheStoreAndChecksTheRange() {
        DiskRig rig = DiskRig.thick();
        int before = rig.store.flushes.get();
        assertThat(rig.none(DiskRig.ten(0x35, 0, 0, 0)).status()).isEqualTo(ScsiStatus.GOOD);
        assertThat(rig.none(DiskRig.sixteen(0x91, 100, 8, 0x02)).status()).isEqualTo(ScsiStatus.GOOD);
        assertThat(rig.store.flushes.get()).isEqualTo(before + 2);
        assertThat(rig.none(DiskRig.ten(0x35, 0xFFFFF, 2, 0)).sense()[12]).isEqualTo((byte) 0x21);
    }
}
