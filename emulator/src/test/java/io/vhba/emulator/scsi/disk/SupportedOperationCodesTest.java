package io.vhba.emulator.scsi.disk;

import static io.vhba.emulator.scsi.disk.DiskRig.rsoc;
import static org.assertj.core.api.Assertions.assertThat;

import io.vhba.miniport.scsi.ScsiStatus;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SupportedOperationCodesTest {

    @Test
    void allCommandsListsExactlyTheTable() {
        DiskRig rig = DiskRig.thick();
        byte[] d = rig.in(65535, rsoc(0, 0, 0, 65535)).data();
        int count = (int) ((Bytes.u32(d, 0)) / 8);
        assertThat(d.length).isEqualTo(4 + count * 8);
        List<String> listed = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            listed.add(Hex.of(java.util.Arrays.copyOfRange(d, 4 + 8 * i, 12 + 8 * i)));
        }
        assertThat(listed).contains("280000000000000A", "9E00001000010010", "A300000C0001000C", "1A00000000000006");
        assertThat(count).isEqualTo(new CommandTable(rig.config).supported().size());
        // SERVACTV is set exactly when there is a service action (libiscsi ReportSupportedOpcodes.SERVACTV)
        for (String s : listed) {
            boolean servactv = (Integer.parseInt(s.substring(10, 12), 16) & 1) != 0;
            assertThat(servactv || s.startsWith("0000", 4)).isTrue();
        }
    }

    @Test
    void rctdAddsATimeoutsDescriptorToEveryCommand() {
        byte[] d = DiskRig.thick().in(65535, rsoc(0x80, 0, 0, 65535)).data();
        int count = (int) (Bytes.u32(d, 0) / 20);
        assertThat(d.length).isEqualTo(4 + count * 20);
        for (int i = 0; i < count; i++) {
            int p = 4 + 20 * i;
            assertThat(d[p + 5] & 0x02).as("CTDP").isEqualTo(2);
            assertThat(Bytes.u16(d, p + 8)).as("timeouts descriptor length").isEqualTo(0x0A);
        }
        // READ(10): nominal 1 s, recommended 30 s
        String all = Hex.of(d);
        assertThat(all).contains("280000000002000A" + "000A0000" + "00000001" + "0000001E");
    }

    @Test
    void oneCommandReportsItsCdbUsageData() {
        DiskRig rig = DiskRig.thick();
        assertThat(Hex.of(rig.in(512, rsoc(0x01, 0x28, 0, 512)).data()))
                .isEqualTo("0003000A" + "2818FFFFFFFF1FFFFF00");
        assertThat(Hex.of(rig.in(512, rsoc(0x02, 0x9E, 0x10, 512)).data()))
                .isEqualTo("00030010" + "9E10FFFFFFFFFFFFFFFFFFFFFFFF0100");
        assertThat(Hex.of(rig.in(512, rsoc(0x83, 0x9E, 0x10, 512)).data()))
                .isEqualTo("00830010" + "9E10FFFFFFFFFFFFFFFFFFFFFFFF0100" + "000A0000" + "00000001" + "0000000A");
        // not supported: REPORT LUNS belongs to the target core
        assertThat(Hex.of(rig.in(512, rsoc(0x01, 0xA0, 0, 512)).data())).isEqualTo("00010000");
        assertThat(Hex.of(rig.in(512, rsoc(0x02, 0x9E, 0x11, 512)).data())).isEqualTo("00010000");
    }

    @Test
    void reportingOptionsMustMatchWhetherTheOpcodeHasServiceActions() {
        DiskRig rig = DiskRig.thick();
        assertThat(DiskRig.senseSummary(rig.in(512, rsoc(0x01, 0x9E, 0x10, 512)).sense())).isEqualTo("5/24/00/CA0002");
        assertThat(DiskRig.senseSummary(rig.in(512, rsoc(0x02, 0x28, 0, 512)).sense())).isEqualTo("5/24/00/CA0002");
        assertThat(DiskRig.senseSummary(rig.in(512, rsoc(0x04, 0x28, 0, 512)).sense())).isEqualTo("5/24/00/CA0002");
        assertThat(rig.in(512, rsoc(0x03, 0x28, 0x55, 512)).data()[1]).isEqualTo((byte) 3);
    }

    /** The usage bitmap is both the report and the check: every undeclared bit is rejected at its own position. */
    @Test
    void everyBitOutsideTheUsageBitmapIsInvalidFieldInCdbAtThatBit() {
        for (DiskRig rig : List.of(DiskRig.thick(), DiskRig.thin(),
                new DiskRig(DiskRig.config(512, 1024).withRemovable(true)))) {
            CommandTable table = new CommandTable(rig.config);
            for (DiskCommand c : table.supported()) {
                byte[] usage = table.reportedUsage(c);
                byte[] mask = c.usage(rig.config);
                for (int i = 1; i < usage.length; i++) {
                    for (int bit = 0; bit < 8; bit++) {
                        if ((mask[i] & (1 << bit)) != 0) {
                            continue;
                        }
                        byte[] cdb = new byte[usage.length];
                        cdb[0] = (byte) c.opcode.code();
                        if (c.serviceAction >= 0) {
                            cdb[1] = (byte) c.serviceAction;
                        }
                        cdb[i] |= (byte) (1 << bit);
                        DiskRig.Result r = rig.in(512, cdb);
                        assertThat(r.status()).as("%s byte %d bit %d", c, i, bit).isEqualTo(ScsiStatus.CHECK_CONDITION);
                        int sks = 0xC80000 | (bit << 16) | i;
                        assertThat(DiskRig.senseSummary(r.sense())).as("%s byte %d bit %d", c, i, bit)
                                .isEqualTo(String.format("5/24/00/%06X", sks));
                    }
                }
                // the reported usage differs from the mask only in the service action bits
                if (c.serviceAction >= 0) {
                    assertThat(usage[1] & 0x1F).isEqualTo(c.serviceAction);
                }
            }
        }
    }
}
