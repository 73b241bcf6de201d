package io.vhba.emulator.scsi.disk;

import static org.assertj.core.api.Assertions.assertThat;

import io.vhba.emulator.scsi.disk.DiskCommand.Trait;
import io.vhba.miniport.scsi.ScsiStatus;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RemovableMediumTest {

    static final int[] TUR = {0, 0, 0, 0, 0, 0};
    static final int[] EJECT = {0x1B, 0, 0, 0, 0x02, 0};
    static final int[] LOAD = {0x1B, 0, 0, 0, 0x03, 0};

    static int[] prevent(int value) {
        return new int[] {0x1E, 0, 0, 0, value, 0};
    }

    static DiskRig removable() {
        return new DiskRig(DiskRig.config(512, 4096).withRemovable(true).withThinProvisioning(true));
    }

    @Test
    void ejectAndLoad() {
        DiskRig rig = removable();
        assertThat(rig.none(EJECT).status()).isEqualTo(ScsiStatus.GOOD);
        assertThat(Hex.of(rig.none(TUR).sense())).isEqualTo("700002000000000A000000003A0200000000");
        assertThat(rig.in(512, DiskRig.read10(0, 1)).sense()[12]).isEqualTo((byte) 0x3A);
        assertThat(rig.in(96, DiskRig.inquiry(0, 0, 96)).status()).isEqualTo(ScsiStatus.GOOD);
        assertThat(rig.in(255, DiskRig.modeSense6(0, 0x3F, 0, 255)).status()).isEqualTo(ScsiStatus.GOOD);
        assertThat(DiskRig.senseSummary(rig.in(18, 0x03, 0, 0, 0, 18, 0).data())).isEqualTo("2/3A/02/000000");
        assertThat(rig.none(EJECT).status()).isEqualTo(ScsiStatus.GOOD); // already ejected
        assertThat(rig.none(LOAD).status()).isEqualTo(ScsiStatus.GOOD);
        assertThat(rig.none(TUR).status()).isEqualTo(ScsiStatus.GOOD);
    }

    @Test
    void everyMediumAccessCommandIsNotReadyWithoutTheMedium() {
        DiskRig rig = removable();
        rig.none(EJECT);
        CommandTable table = new CommandTable(rig.config);
        for (DiskCommand c : table.supported()) {
            byte[] cdb = new byte[c.cdbLength()];
            cdb[0] = (byte) c.opcode.code();
            if (c.serviceAction >= 0) {
                cdb[1] = (byte) c.serviceAction;
            }
            DiskRig.Result r = rig.in(512, cdb);
            if (c.has(Trait.MEDIUM_ACCESS)) {
                assertThat(DiskRig.senseSummary(r.sense())).as(c.name()).isEqualTo("2/3A/02/000000");
            } else {
                assertThat(r.status() == ScsiStatus.CHECK_CONDITION && r.sense()[12] == 0x3A).as(c.name()).isFalse();
            }
        }
    }

    @Test
    void preventionBlocksEjectAndLoadUntilAllowedOrCleared() {
        DiskRig rig = removable();
        assertThat(rig.none(prevent(1)).status()).isEqualTo(ScsiStatus.GOOD);
        assertThat(Hex.of(rig.none(EJECT).sense())).isEqualTo("700005000000000A00000000530200000000");
        assertThat(rig.none(TUR).status()).isEqualTo(ScsiStatus.GOOD);
        assertThat(rig.none(prevent(0)).status()).isEqualTo(ScsiStatus.GOOD);
        assertThat(rig.none(EJECT).status()).isEqualTo(ScsiStatus.GOOD);
        assertThat(rig.none(prevent(1)).status()).isEqualTo(ScsiStatus.GOOD); // allowed without a medium
        assertThat(rig.none(LOAD).sense()[12]).isEqualTo((byte) 0x53);
        rig.unit.clearMediumRemovalPrevention(); // what the core does on LU reset or I_T nexus loss
        assertThat(rig.none(LOAD).status()).isEqualTo(ScsiStatus.GOOD);
        assertThat(DiskRig.senseSummary(rig.none(prevent(2)).sense())).isEqualTo("5/24/00/C90004");
    }

    @Test
    void powerConditionsNeverEjectAndStartWithoutLoejKeepsTheMedium() {
        DiskRig rig = removable();
        for (int pc = 1; pc < 16; pc++) {
            assertThat(rig.none(0x1B, 1, 0, 0, (pc << 4) | 0x02, 0).status()).isEqualTo(ScsiStatus.GOOD);
            assertThat(rig.none(TUR).status()).isEqualTo(ScsiStatus.GOOD);
        }
        for (int b4 : new int[] {0x00, 0x01, 0x04, 0x05}) {
            assertThat(rig.none(0x1B, 1, 0, 0, b4, 0).status()).isEqualTo(ScsiStatus.GOOD);
            assertThat(rig.none(TUR).status()).isEqualTo(ScsiStatus.GOOD);
        }
    }

    @Test
    void preventAllowIsOnlyForRemovableMedia() {
        assertThat(DiskRig.thick().none(prevent(1)).sense()[12]).isEqualTo((byte) 0x20);
    }

    @TempDir
    Path dir;

    @Test
    void preFetchIsConditionMetOnlyWhenTheStoreHasACache() throws Exception {
        DiskRig ram = DiskRig.thick();
        assertThat(ram.none(DiskRig.ten(0x34, 0, 256, 0)).status()).isEqualTo(ScsiStatus.GOOD);
        assertThat(ram.none(DiskRig.sixteen(0x90, 0, 0, 0x02)).status()).isEqualTo(ScsiStatus.GOOD);
        assertThat(ram.none(DiskRig.ten(0x34, 0x100001, 0, 0)).sense()[12]).isEqualTo((byte) 0x21);
        assertThat(ram.none(DiskRig.sixteen(0x90, 0xFFFFF, 2, 0)).sense()[12]).isEqualTo((byte) 0x21);

        DiskConfig config = DiskRig.config(512, 1 << 16);
        try (FileStore file = FileStore.open(dir.resolve("d.img"), config.geometry().capacityBytes())) {
            DiskLogicalUnit unit = new DiskLogicalUnit(config, file);
            io.vhba.hw.ScsiResult r = unit.execute(new io.vhba.hw.ScsiCommand(DiskRig.bytes(DiskRig.ten(0x34, 0, 64, 0)),
                    10, io.vhba.hw.DataDirection.NONE, io.vhba.hw.DataBuffer.NONE, 0));
            assertThat(r.status()).isEqualTo(ScsiStatus.CONDITION_MET);
        }
    }
}
