package io.vhba.emulator.scsi.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.vhba.emulator.platform.HostBuffer;
import io.vhba.emulator.platform.HostMemory;
import io.vhba.emulator.scsi.core.access.LunMask;
import io.vhba.miniport.scsi.AdditionalSense;
import io.vhba.miniport.scsi.ScsiStatus;
import io.vhba.miniport.scsi.SenseData;
import io.vhba.miniport.scsi.SenseKey;
import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;

/** LUN masking in the core: a LUN the initiator may not see does not exist for it, EXTENDED COPY included. */
class LunMaskingTest {
    private static final String HOST1 = "iqn.2026-12.test:host1";
    private static final String HOST2 = "iqn.2026-12.test:host2";
    private final HostMemory memory = new HostMemory(64L << 20);
    private final ScsiTargetCore core = new ScsiTargetCore(memory, 30);
    private final ScsiTarget target = new ScsiTarget("iqn.2026-11.test:t", "t", 1, 1);
    private final ItNexus host1 = ItNexus.iscsi(HOST1, 1, target.name(), 1);
    private final ItNexus host2 = ItNexus.iscsi(HOST2, 1, target.name(), 1);

    LunMaskingTest() {
        for (int lun = 0; lun < 3; lun++) {
            target.map(new TargetLun(lun, null, 512, naa(lun)));
        }
        target.acl().allow(HOST1, List.of(0, 2));
        target.acl().allow(HOST2);
    }

    /** An NAA IEEE Registered Extended designator (type 6h), distinct per LUN. */
    private static byte[] naa(int lun) {
        byte[] d = new byte[16];
        d[0] = 0x65;
        d[15] = (byte) (lun + 1);
        return d;
    }

    private CommandOutcome immediate(ItNexus nexus, int lun, byte[] cdb) {
        CommandPlan p = core.plan(new CommandRequest(nexus, target, lun, cdb, true, false, 4096, 1));
        assertThat(p).isInstanceOf(CommandPlan.Immediate.class);
        return ((CommandPlan.Immediate) p).outcome();
    }

    private static byte[] reportLuns() {
        return new byte[] {(byte) 0xA0, 0, 0, 0, 0, 0, 0, 0, 0x10, 0, 0, 0};
    }

    @Test
    void reportLunsListsOnlyTheLunsOfTheInitiatorsMask() {
        CommandOutcome o = immediate(host1, 0, reportLuns());
        byte[] b = new byte[o.dataInLength()];
        o.dataIn().get(0, b, 0, b.length);
        assertThat(b).containsExactly(0, 0, 0, 16, 0, 0, 0, 0, /* LUN 0 */ 0, 0, 0, 0, 0, 0, 0, 0,
                /* LUN 2 */ 0, 2, 0, 0, 0, 0, 0, 0);
        CommandOutcome all = immediate(host2, 0, reportLuns());
        assertThat(all.dataIn().getByte(3)).as("host2 has no mask: three LUNs").isEqualTo((byte) 24);
    }

    @Test
    void aCommandToAMaskedLunGetsWhatAMissingLunGets() {
        byte[] tur = new byte[6];
        CommandOutcome masked = immediate(host1, 1, tur);
        CommandOutcome missing = immediate(host1, 7, tur);
        assertThat(masked.status()).isEqualTo(ScsiStatus.CHECK_CONDITION);
        assertThat(masked.sense()).isEqualTo(missing.sense())
                .isEqualTo(SenseData.of(SenseKey.ILLEGAL_REQUEST, AdditionalSense.LOGICAL_UNIT_NOT_SUPPORTED).toBytes());
        byte[] inquiry = {0x12, 0, 0, 0, 36, 0};
        CommandOutcome o = immediate(host1, 1, inquiry);
        assertThat(o.dataIn().getByte(0)).as("INQUIRY: peripheral qualifier 011b, no LU").isEqualTo((byte) 0x7F);
    }

    @Test
    void aRefusedInitiatorsSurvivingSessionSeesNoLuns() {
        target.acl().revoke(HOST2);
        assertThat(target.visibleLuns(host2)).isEqualTo(LunMask.NONE);
        assertThat(immediate(host2, 0, new byte[6]).status()).isEqualTo(ScsiStatus.CHECK_CONDITION);
    }

    @Test
    void extendedCopyNamingAMaskedLunIsAbortedAsUnreachable() {
        byte[] cdb = xcopyCdb(16 + 64);
        HostBuffer list = parameterList(naa(0), naa(1));
        CommandRequest r = new CommandRequest(host1, target, 0, cdb, false, true, 80, 1);
        CommandOutcome o = core.refuseBeforeSubmit(r, list, 80);
        assertThat(o).isNotNull();
        assertThat(o.status()).isEqualTo(ScsiStatus.CHECK_CONDITION);
        // COPY ABORTED, COPY TARGET DEVICE NOT REACHABLE, pointing at the second descriptor's designator (16+32+4)
        assertThat(o.sense()).isEqualTo(new SenseData(SenseKey.COPY_ABORTED,
                AdditionalSense.COPY_TARGET_DEVICE_NOT_REACHABLE, 0, false, 0x80_0000 | 52).toBytes());
        list.release();
    }

    @Test
    void extendedCopyBetweenVisibleLunsOrFromAnUnmaskedInitiatorGoesToTheDevice() {
        HostBuffer list = parameterList(naa(0), naa(2));
        assertThat(core.refuseBeforeSubmit(new CommandRequest(host1, target, 0, xcopyCdb(80), false, true, 80, 1), list, 80))
                .isNull();
        list.release();
        HostBuffer toHidden = parameterList(naa(0), naa(1));
        assertThat(core.refuseBeforeSubmit(new CommandRequest(host2, target, 0, xcopyCdb(80), false, true, 80, 1), toHidden, 80))
                .as("host2 sees every LUN").isNull();
        toHidden.release();
    }

    private static byte[] xcopyCdb(int length) {
        byte[] cdb = new byte[16];
        cdb[0] = (byte) 0x83;
        ByteBuffer.wrap(cdb).putInt(10, length);
        return cdb;
    }

    /** A LID1 parameter list header and two identification CSCD descriptors; no segments (the core reads no further). */
    private HostBuffer parameterList(byte[] first, byte[] second) {
        ByteBuffer p = ByteBuffer.allocate(16 + 64);
        p.put(1, (byte) 0x18); // LIST ID USAGE 11b
        p.putShort(2, (short) 64);
        for (int i = 0; i < 2; i++) {
            int o = 16 + 32 * i;
            p.put(o, (byte) 0xE4);
            p.put(o + 4, (byte) 1);    // binary code set
            p.put(o + 5, (byte) 3);    // association LU, designator type NAA
            p.put(o + 7, (byte) 16);
            p.put(o + 8, i == 0 ? first : second);
            p.putShort(o + 30, (short) 512);
        }
        HostBuffer b = memory.allocate(80);
        b.put(0, p.array(), 0, 80);
        return b;
    }
}
