package io.vhba.emulator.scsi.disk;

import static org.assertj.core.api.Assertions.assertThat;

import io.vhba.emulator.scsi.disk.DiskCommand.Trait;
import io.vhba.miniport.scsi.ScsiStatus;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A read-only LUN (LunConfig readOnly, libiscsi ReadOnly suite): every command that changes the medium ends with
 * DATA PROTECT / WRITE PROTECTED (SBC-4 4.10, 27h/00h) before touching it; reads still work and MODE SENSE reports WP.
 */
class ReadOnlyLunTest {

    static final String WRITE_PROTECTED = "700007000000000A00000000270000000000";

    /** A valid CDB and Data-Out for every command of the table that writes the medium. */
    static Map<DiskCommand, Object[]> writers() {
        Map<DiskCommand, Object[]> m = new LinkedHashMap<>();
        m.put(DiskCommand.FORMAT_UNIT, new Object[] {new int[] {0x04, 0, 0, 0, 0, 0}, new byte[0]});
        m.put(DiskCommand.WRITE_6, new Object[] {DiskRig.write6(0, 1), new byte[512]});
        m.put(DiskCommand.WRITE_10, new Object[] {DiskRig.write10(0, 1, 0), new byte[512]});
        m.put(DiskCommand.WRITE_AND_VERIFY_10, new Object[] {DiskRig.ten(0x2E, 0, 1, 0), new byte[512]});
        m.put(DiskCommand.WRITE_SAME_10, new Object[] {DiskRig.ten(0x41, 0, 1, 0x08), new byte[512]});
        m.put(DiskCommand.UNMAP, new Object[] {new int[] {0x42, 0, 0, 0, 0, 0, 0, 0, 24, 0},
                Hex.bytes("0016001000000000" + "0000000000000000" + "00000001" + "00000000")});
        m.put(DiskCommand.SANITIZE_OVERWRITE, new Object[] {new int[] {0x48, 0x01, 0, 0, 0, 0, 0, 0, 8, 0},
                Hex.bytes("01000004" + "A5A5A5A5")});
        m.put(DiskCommand.SANITIZE_BLOCK_ERASE, new Object[] {new int[] {0x48, 0x02, 0, 0, 0, 0, 0, 0, 0, 0}, new byte[0]});
        m.put(DiskCommand.SANITIZE_CRYPTO_ERASE, new Object[] {new int[] {0x48, 0x03, 0, 0, 0, 0, 0, 0, 0, 0}, new byte[0]});
        int[] caw = DiskRig.sixteen(0x89, 0, 0, 0);
        caw[13] = 1;
        m.put(DiskCommand.COMPARE_AND_WRITE, new Object[] {caw, new byte[1024]});
        m.put(DiskCommand.WRITE_16, new Object[] {DiskRig.write16(0, 1, 0), new byte[512]});
        m.put(DiskCommand.ORWRITE_16, new Object[] {DiskRig.sixteen(0x8B, 0, 1, 0), new byte[512]});
        m.put(DiskCommand.WRITE_AND_VERIFY_16, new Object[] {DiskRig.sixteen(0x8E, 0, 1, 0), new byte[512]});
        m.put(DiskCommand.WRITE_SAME_16, new Object[] {DiskRig.sixteen(0x93, 0, 1, 0), new byte[512]});
        int[] atomic = DiskRig.sixteen(0x9C, 0, 0, 0);
        atomic[13] = 1;
        m.put(DiskCommand.WRITE_ATOMIC_16, new Object[] {atomic, new byte[512]});
        m.put(DiskCommand.WRITE_12, new Object[] {DiskRig.twelve(0xAA, 0, 1, 0), new byte[512]});
        m.put(DiskCommand.WRITE_AND_VERIFY_12, new Object[] {DiskRig.twelve(0xAE, 0, 1, 0), new byte[512]});
        return m;
    }

    @Test
    void everyWritingCommandIsWriteProtectedAndTheMediumIsUntouched() {
        DiskConfig config = DiskRig.config(512, 4096).withThinProvisioning(true);
        DiskRig rw = new DiskRig(config);
        Map<DiskCommand, Object[]> writers = writers();
        Set<DiskCommand> inTable = EnumSet.noneOf(DiskCommand.class);
        for (DiskCommand c : new CommandTable(config.withReadOnly(true)).supported()) {
            if (c.has(Trait.WRITES_MEDIUM)) {
                inTable.add(c);
            }
        }
        assertThat(writers.keySet()).containsExactlyInAnyOrderElementsOf(inTable);

        DiskRig ro = new DiskRig(config.withReadOnly(true));
        for (Map.Entry<DiskCommand, Object[]> e : writers.entrySet()) {
            int[] cdb = (int[]) e.getValue()[0];
            byte[] data = (byte[]) e.getValue()[1];
            // the command is valid: the writable twin runs it (COMPARE AND WRITE of zeros over zeros succeeds)
            assertThat(rw.out(data, cdb).status()).as(e.getKey() + " on a writable LUN").isEqualTo(ScsiStatus.GOOD);
            assertThat(Hex.of(ro.out(data, cdb).sense())).as(e.getKey().name()).isEqualTo(WRITE_PROTECTED);
        }
        assertThat(ro.store.writes.get()).isZero();
        assertThat(ro.store.deallocations.get()).isZero();
        assertThat(ro.read(0, 8)).containsOnly(0);
    }

    @Test
    void readsAndMediumChecksStillWorkAndModeSenseReportsWp() {
        DiskRig ro = new DiskRig(DiskRig.config(512, 4096).withThinProvisioning(true).withReadOnly(true));
        assertThat(ro.in(4096, DiskRig.read10(0, 8)).status()).isEqualTo(ScsiStatus.GOOD);
        assertThat(ro.out(new byte[512], DiskRig.ten(0x2F, 0, 1, 0x02)).status()).isEqualTo(ScsiStatus.GOOD);
        assertThat(ro.none(0x35, 0, 0, 0, 0, 0, 0, 0, 0, 0).status()).isEqualTo(ScsiStatus.GOOD);
        // MODE SENSE(6) and (10) with DBD, 44 bytes of pages: WP (bit 7) and DPOFUA (bit 4) of the device-specific
        // parameter
        assertThat(Hex.of(ro.in(4, DiskRig.modeSense6(0x08, 0x3F, 0, 4)).data())).isEqualTo("2F009000");
        assertThat(Hex.of(ro.in(8, DiskRig.modeSense10(0x08, 0x3F, 0, 8)).data())).isEqualTo("0032009000000000");
    }
}
