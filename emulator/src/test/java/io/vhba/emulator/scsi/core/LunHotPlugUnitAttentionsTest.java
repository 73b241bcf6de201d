package io.vhba.emulator.scsi.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vhba.emulator.platform.HostMemory;
import io.vhba.miniport.scsi.AdditionalSense;
import io.vhba.miniport.scsi.SenseKey;
import org.junit.jupiter.api.Test;

/** A LUN mapped into or out of a target that has nexuses: who hears of it, through which unit attention (SPC-4 6.33). */
class LunHotPlugUnitAttentionsTest {
    private static final HostMemory MEMORY = new HostMemory(64L << 20);
    private static final byte[] TUR = new byte[6];

    private final ScsiTarget target = new ScsiTarget("iqn.2026-11.test:hot", "hot", 1, 1);
    private final ScsiTargetCore core = new ScsiTargetCore(MEMORY, 30);
    private final ItNexus a = ItNexus.iscsi("iqn.2026-11.test:a", 0x23D000000001L, target.name(), 1);
    private final ItNexus b = ItNexus.iscsi("iqn.2026-11.test:b", 0x23D000000002L, target.name(), 1);

    /** The unit attention a TEST UNIT READY from {@code n} to {@code lun} reports, or null when it would run. */
    private AdditionalSense tur(ItNexus n, int lun) {
        CommandPlan p = core.plan(new CommandRequest(n, target, lun, TUR, false, false, 0, 1));
        if (p instanceof CommandPlan.Execute) {
            return null;
        }
        CommandOutcome o = ((CommandPlan.Immediate) p).outcome();
        assertThat(o.sense()).as("CHECK CONDITION with sense").isNotNull();
        SenseKey key = SenseKey.of(o.sense()[2] & 0x0F);
        for (AdditionalSense s : AdditionalSense.values()) {
            if (s.asc() == (o.sense()[12] & 0xFF) && s.ascq() == (o.sense()[13] & 0xFF)) {
                return key == SenseKey.UNIT_ATTENTION ? s : null;
            }
        }
        throw new AssertionError("unknown sense " + java.util.HexFormat.of().formatHex(o.sense()));
    }

    private TargetLun start() {
        TargetLun zero = new TargetLun(0, null, 512);
        target.map(zero);
        core.nexusJoined(target, a);
        core.nexusJoined(target, b);
        for (ItNexus n : new ItNexus[] {a, b}) {
            assertThat(tur(n, 0)).isEqualTo(AdditionalSense.POWER_ON_RESET_OR_BUS_DEVICE_RESET_OCCURRED);
            assertThat(tur(n, 0)).isNull();
        }
        return zero;
    }

    @Test
    void anAddedLunIsNewToEveryNexusAndEveryLunReportsTheChangeOnce() {
        start();
        core.lunAdded(target, new TargetLun(3, null, 512));
        assertThat(tur(a, 0)).isEqualTo(AdditionalSense.REPORTED_LUNS_DATA_HAS_CHANGED);
        assertThat(tur(a, 0)).isNull();
        assertThat(tur(a, 3)).as("the new unit, as after a power on").isEqualTo(AdditionalSense.POWER_ON_RESET_OR_BUS_DEVICE_RESET_OCCURRED);
        assertThat(tur(a, 3)).isEqualTo(AdditionalSense.REPORTED_LUNS_DATA_HAS_CHANGED);
        assertThat(tur(a, 3)).isNull();

        ItNexus later = ItNexus.iscsi("iqn.2026-11.test:later", 0x23D000000003L, target.name(), 1);
        core.nexusJoined(target, later);
        assertThat(tur(later, 3)).isEqualTo(AdditionalSense.POWER_ON_RESET_OR_BUS_DEVICE_RESET_OCCURRED);
        assertThat(tur(later, 3)).as("a nexus newer than the change has nothing to hear of").isNull();

        assertThatThrownBy(() -> core.lunAdded(target, new TargetLun(3, null, 512)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aRemovedLunIsNotSupportedAndTheRemainingOnesReportTheChange() {
        start();
        core.lunAdded(target, new TargetLun(3, null, 512));
        tur(b, 0);
        assertThat(core.lunRemoved(target, 3)).isNotNull();
        CommandPlan gone = core.plan(new CommandRequest(a, target, 3, TUR, false, false, 0, 1));
        byte[] sense = ((CommandPlan.Immediate) gone).outcome().sense();
        assertThat(new int[] {sense[2] & 0x0F, sense[12] & 0xFF}).as("LOGICAL UNIT NOT SUPPORTED").containsExactly(0x5, 0x25);
        assertThat(tur(b, 0)).isEqualTo(AdditionalSense.REPORTED_LUNS_DATA_HAS_CHANGED);
        assertThat(target.luns()).extracting(TargetLun::lun).containsExactly(0);
        assertThat(core.lunRemoved(target, 3)).isNull();
    }
}
