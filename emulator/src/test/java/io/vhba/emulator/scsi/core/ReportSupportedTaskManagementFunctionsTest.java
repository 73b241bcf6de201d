package io.vhba.emulator.scsi.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.vhba.emulator.platform.HostMemory;
import io.vhba.miniport.scsi.ScsiStatus;
import io.vhba.miniport.scsi.SenseData;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** REPORT SUPPORTED TASK MANAGEMENT FUNCTIONS, and REPORT SUPPORTED OPERATION CODES telling the truth about it. */
class ReportSupportedTaskManagementFunctionsTest {
    private final HostMemory memory = new HostMemory(16L << 20);
    private final ScsiTargetCore core = new ScsiTargetCore(memory, 30);
    private final ScsiTarget target = new ScsiTarget("iqn.2026-11.test:t", "t", 1, 1);
    private final ItNexus nexus = ItNexus.iscsi("iqn.2026-11.test:i", 0x23D000000001L, target.name(), 1);

    ReportSupportedTaskManagementFunctionsTest() {
        target.map(new TargetLun(0, null, 512));
        target.setUnitAttentionOnLogin(false);
        core.nexusJoined(target, nexus);
    }

    private CommandOutcome run(byte[] cdb) {
        CommandPlan p = core.plan(new CommandRequest(nexus, target, 0, cdb, true, false, 255, 1));
        assertThat(p).as("answered by the core, no SRB").isInstanceOf(CommandPlan.Immediate.class);
        return ((CommandPlan.Immediate) p).outcome();
    }

    private static String hex(CommandOutcome o) {
        byte[] b = new byte[o.dataInLength()];
        o.dataIn().get(0, b, 0, b.length);
        return HexFormat.of().withUpperCase().formatHex(b);
    }

    private static byte[] rstmf(boolean repd, int allocation) {
        return new byte[] {(byte) 0xA3, 0x0D, (byte) (repd ? 0x80 : 0), 0, 0, 0, 0, 0, 0, (byte) allocation, 0, 0};
    }

    @Test
    void theBasicFormatNamesWhatTaskManagementReallyDoes() {
        CommandOutcome o = run(rstmf(false, 255));
        assertThat(o.status()).isEqualTo(ScsiStatus.GOOD);
        // ATS ATSS CTSS LURS TRS = 0x80|0x40|0x10|0x08|0x02; no CLEAR ACA, QUERY TASK, WAKEUP, I_T NEXUS RESET
        assertThat(hex(o)).isEqualTo("DA000000");
    }

    @Test
    void theExtendedFormatHasSixteenBytesAndNoTimeouts() {
        assertThat(hex(run(rstmf(true, 255)))).isEqualTo("DA00000C" + "00".repeat(12));
        assertThat(hex(run(rstmf(true, 5)))).as("cut to the allocation length").isEqualTo("DA00000C00");
    }

    @Test
    void anAllocationLengthBelowFourIsAnInvalidField() {
        assertThat(run(rstmf(false, 3)).sense()).isEqualTo(SenseData.invalidFieldInCdb(6, -1).toBytes());
    }

    @Test
    void reportSupportedOperationCodesDescribesItsCdb() {
        // one command, REPORTING OPTIONS 010b: MAINTENANCE IN / 0Dh
        CommandOutcome o = run(new byte[] {(byte) 0xA3, 0x0C, 0x02, (byte) 0xA3, 0x00, 0x0D, 0, 0, 0, (byte) 255, 0, 0});
        assertThat(o.status()).isEqualTo(ScsiStatus.GOOD);
        assertThat(hex(o)).isEqualTo("0003000C" + "A30D80000000FFFFFFFF0000");
        CommandOutcome rtpg = run(new byte[] {(byte) 0xA3, 0x0C, 0x02, (byte) 0xA3, 0x00, 0x0A, 0, 0, 0, (byte) 255, 0, 0});
        assertThat(hex(rtpg)).isEqualTo("0003000C" + "A3EA00000000FFFFFFFF0000");
    }
}
