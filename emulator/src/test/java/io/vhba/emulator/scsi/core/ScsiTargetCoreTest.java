package io.vhba.emulator.scsi.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.vhba.emulator.platform.HostMemory;
import io.vhba.miniport.scsi.ScsiStatus;
import io.vhba.miniport.scsi.SenseData;
import io.vhba.miniport.scsi.AdditionalSense;
import io.vhba.miniport.scsi.SenseKey;
import org.junit.jupiter.api.Test;

/** The core's own answers, byte for byte: they never reach the engine. */
class ScsiTargetCoreTest {
    private final HostMemory memory = new HostMemory(64L << 20);
    private final ScsiTargetCore core = new ScsiTargetCore(memory, 30);
    private final ScsiTarget target = new ScsiTarget("iqn.2026-11.test:t", "t", 1, 1);
    private final ItNexus nexus = ItNexus.iscsi("iqn.2026-11.test:i", 0x23D000000001L, target.name(), 1);

    ScsiTargetCoreTest() {
        target.map(new TargetLun(0, null, 512));
        target.map(new TargetLun(5, null, 4096));
    }

    private static byte[] cdb(int... b) {
        byte[] c = new byte[b.length];
        for (int i = 0; i < b.length; i++) {
            c[i] = (byte) b[i];
        }
        return c;
    }

    private CommandOutcome immediate(int lun, int... bytes) {
        byte[] cdb = cdb(bytes);
        CommandPlan p = core.plan(new CommandRequest(nexus, target, lun, cdb, true, false, 4096, 1));
        assertThat(p).isInstanceOf(CommandPlan.Immediate.class);
        return ((CommandPlan.Immediate) p).outcome();
    }

    private static byte[] bytes(CommandOutcome o) {
        byte[] b = new byte[o.dataInLength()];
        o.dataIn().get(0, b, 0, b.length);
        return b;
    }

    @Test
    void reportLunsListsTheMapInSingleLevelFormat() {
        CommandOutcome o = immediate(0, 0xA0, 0, 0, 0, 0, 0, 0, 0, 0x10, 0, 0, 0);
        assertThat(o.status()).isEqualTo(ScsiStatus.GOOD);
        assertThat(bytes(o)).containsExactly(cdb(0, 0, 0, 16, 0, 0, 0, 0,
                0, 0, 0, 0, 0, 0, 0, 0,
                0, 5, 0, 0, 0, 0, 0, 0));
    }

    @Test
    void reportLunsWithAnAllocationLengthBelow16IsAnInvalidFieldInCdb() {
        CommandOutcome o = immediate(0, 0xA0, 0, 0, 0, 0, 0, 0, 0, 0, 15, 0, 0);
        assertThat(o.status()).isEqualTo(ScsiStatus.CHECK_CONDITION);
        assertThat(o.sense()).isEqualTo(SenseData.invalidFieldInCdb(6, -1).toBytes());
    }

    @Test
    void aNewNexusGetsOnePowerOnUnitAttentionThatReportLunsDoesNotClear() {
        core.nexusJoined(target, nexus);
        CommandOutcome luns = immediate(0, 0xA0, 0, 0, 0, 0, 0, 0, 0, 0x10, 0, 0, 0);
        assertThat(luns.status()).as("REPORT LUNS runs despite the unit attention").isEqualTo(ScsiStatus.GOOD);
        CommandOutcome tur = immediate(0, 0x00, 0, 0, 0, 0, 0);
        assertThat(tur.status()).isEqualTo(ScsiStatus.CHECK_CONDITION);
        assertThat(tur.sense()).isEqualTo(SenseData.of(SenseKey.UNIT_ATTENTION,
                AdditionalSense.POWER_ON_RESET_OR_BUS_DEVICE_RESET_OCCURRED).toBytes());
        assertThat(immediateOrNull(0, 0x00, 0, 0, 0, 0, 0)).as("reported once, then cleared").isNull();
    }

    @Test
    void requestSenseReturnsAPendingUnitAttentionAsDataAndClearsIt() {
        core.nexusJoined(target, nexus);
        CommandOutcome o = immediate(0, 0x03, 0, 0, 0, 252, 0);
        assertThat(o.status()).isEqualTo(ScsiStatus.GOOD);
        byte[] sense = bytes(o);
        assertThat(sense).hasSize(18);
        assertThat(sense[0]).isEqualTo((byte) 0x70);
        assertThat(sense[2]).isEqualTo((byte) 0x06);
        assertThat(sense[12]).isEqualTo((byte) 0x29);
        assertThat(sense[13]).isEqualTo((byte) 0x00);
    }

    @Test
    void aMissingLunAnswersInquiryWithQualifier3AndOtherCommandsWithLogicalUnitNotSupported() {
        CommandOutcome inq = immediate(7, 0x12, 0, 0, 0, 36, 0);
        assertThat(bytes(inq)[0]).isEqualTo((byte) 0x7F);
        CommandOutcome read = immediate(7, 0x28, 0, 0, 0, 0, 0, 0, 0, 1, 0);
        assertThat(read.sense()).isEqualTo(SenseData.of(SenseKey.ILLEGAL_REQUEST, AdditionalSense.LOGICAL_UNIT_NOT_SUPPORTED).toBytes());
    }

    @Test
    void theCdbTableSizesTransfersFromTheCdb() {
        assertThat(CdbTable.row(cdb(0x08, 0, 0, 0, 0, 0)).length().bytes(cdb(0x08, 0, 0, 0, 0, 0), 512))
                .as("READ(6) length 0 is 256 blocks").isEqualTo(256 * 512);
        byte[] rc16 = cdb(0x9E, 0x10, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 32, 0, 0);
        assertThat(CdbTable.row(rc16).length().bytes(rc16, 4096)).isEqualTo(32);
        byte[] caw = new byte[16];
        caw[0] = (byte) 0x89;
        caw[13] = 2;
        // The device checks these Data-Out sizes against the CDB itself (libiscsi *.InvalidDataOutSize).
        assertThat(CdbTable.row(caw).direction()).isEqualTo(io.vhba.hw.DataDirection.OUT);
        assertThat(CdbTable.row(caw).length()).as("COMPARE AND WRITE: sized by the transport").isNull();
        byte[] ws = new byte[10];
        ws[0] = 0x41;
        assertThat(CdbTable.row(ws).length()).as("WRITE SAME(10): sized by the transport").isNull();
        byte[] verify = new byte[10];
        verify[0] = 0x2F;
        verify[1] = 0x06; // BYTCHK 11b: one block
        verify[8] = 9;
        assertThat(CdbTable.row(verify).length().bytes(verify, 512)).isEqualTo(512);
    }

    @Test
    void lunAddressesDecodePeripheralAndFlatSpaceAndRejectOthers() {
        assertThat(LunAddress.decode(0x0005_0000_0000_0000L)).isEqualTo(5);
        assertThat(LunAddress.decode(0x4105_0000_0000_0000L)).isEqualTo(0x105);
        assertThat(LunAddress.decode(0x0100_0000_0000_0000L)).as("bus 1").isEqualTo(-1);
        assertThat(LunAddress.decode(0x0000_0001_0000_0000L)).as("second level").isEqualTo(-1);
    }

    private CommandOutcome immediateOrNull(int lun, int... bytes) {
        byte[] cdb = cdb(bytes);
        CommandPlan p = core.plan(new CommandRequest(nexus, target, lun, cdb, true, false, 4096, 1));
        return p instanceof CommandPlan.Immediate im ? im.outcome() : null;
    }
}
