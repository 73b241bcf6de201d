package io.vhba.emulator.scsi.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.vhba.emulator.platform.HostMemory;
import io.vhba.miniport.scsi.ScsiStatus;
import io.vhba.miniport.scsi.SenseData;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** REPORT TARGET PORT GROUPS answered by the core, and the nexus loss hook devices use. */
class ReportTargetPortGroupsTest {
    private final HostMemory memory = new HostMemory(16L << 20);
    private final ScsiTargetCore core = new ScsiTargetCore(memory, 30);
    private final ScsiTarget target = new ScsiTarget("iqn.2026-11.test:t", "t", 3, 7);
    private final ItNexus nexus = ItNexus.iscsi("iqn.2026-11.test:i", 0x23D000000001L, target.name(), 3);

    ReportTargetPortGroupsTest() {
        target.map(new TargetLun(0, null, 512));
        target.setUnitAttentionOnLogin(false);
        core.nexusJoined(target, nexus);
    }

    private CommandOutcome rtpg(int format, int allocation) {
        byte[] cdb = {(byte) 0xA3, (byte) (format << 5 | 0x0A), 0, 0, 0, 0, 0, 0, (byte) (allocation >> 8),
                (byte) allocation, 0, 0};
        CommandPlan p = core.plan(new CommandRequest(nexus, target, 0, cdb, true, false, allocation, 1));
        assertThat(p).isInstanceOf(CommandPlan.Immediate.class);
        return ((CommandPlan.Immediate) p).outcome();
    }

    private static String hex(CommandOutcome o) {
        byte[] b = new byte[o.dataInLength()];
        o.dataIn().get(0, b, 0, b.length);
        return HexFormat.of().withUpperCase().formatHex(b);
    }

    @Test
    void oneActiveOptimizedGroupWithTheTargetsPortAsVpd83NamesThem() {
        CommandOutcome o = rtpg(0, 256);
        assertThat(o.status()).isEqualTo(ScsiStatus.GOOD);
        // RETURN DATA LENGTH 12; PREF, active/optimized; AO_SUP; group 3; no status; 1 port: relative port 7
        assertThat(hex(o)).isEqualTo("0000000C" + "80" + "01" + "0003" + "00" + "00" + "00" + "01" + "00000007");
    }

    @Test
    void theExtendedHeaderFormatAndTheAllocationLengthAreHonoured() {
        assertThat(hex(rtpg(1, 256))).isEqualTo("0000000C" + "10000000" + "8001000300000001" + "00000007");
        assertThat(hex(rtpg(0, 6))).isEqualTo("0000000C8001");
    }

    @Test
    void aReservedParameterDataFormatIsInvalidFieldInCdb() {
        assertThat(rtpg(2, 256).sense()).isEqualTo(SenseData.invalidFieldInCdb(1, 7).toBytes());
    }

    @Test
    void nexusLossReachesTheRegisteredListeners() {
        List<ItNexus> lost = new ArrayList<>();
        core.onNexusLoss((t, n) -> {
            assertThat(t).isSameAs(target);
            lost.add(n);
        });
        core.nexusLeft(target, nexus);
        assertThat(lost).containsExactly(nexus);
    }
}
