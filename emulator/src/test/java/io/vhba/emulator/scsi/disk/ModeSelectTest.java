package io.vhba.emulator.scsi.disk;

import static org.assertj.core.api.Assertions.assertThat;

import io.vhba.miniport.scsi.ScsiStatus;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModeSelectTest {

    static final String CACHING_WCE_OFF = "0812" + "00".repeat(18);
    static final String CONTROL_SWP_ON = "0A0A" + "02100800" + "00".repeat(6);

    static int[] modeSelect6(int flags, int length) {
        return new int[] {0x15, flags, 0, 0, length, 0};
    }

    static int[] modeSelect10(int flags, int length) {
        return new int[] {0x55, flags, 0, 0, 0, 0, 0, length >>> 8, length & 0xFF, 0};
    }

    @TempDir
    Path dir;

    @Test
    void clearingWceMakesEveryWriteForceTheStore() {
        DiskRig rig = DiskRig.thick();
        byte[] params = Hex.bytes("00000000" + CACHING_WCE_OFF);
        assertThat(rig.out(params, modeSelect6(0x10, params.length)).status()).isEqualTo(ScsiStatus.GOOD);
        assertThat(rig.in(255, DiskRig.modeSense6(0x08, 0x08, 0, 255)).data()[6]).isZero();
        int before = rig.store.flushes.get();
        rig.write(0, new byte[512]);
        assertThat(rig.store.flushes.get()).isEqualTo(before + 1);
    }

    @Test
    void settingSwpWriteProtectsTheLunUntilCleared() {
        DiskRig rig = DiskRig.thick();
        byte[] on = Hex.bytes("00000000" + CONTROL_SWP_ON);
        assertThat(rig.out(on, modeSelect6(0x10, on.length)).status()).isEqualTo(ScsiStatus.GOOD);
        assertThat(rig.in(4, DiskRig.modeSense6(0, 0x3F, 0, 4)).data()[2] & 0xFF).isEqualTo(0x90);
        assertThat(Hex.of(rig.out(new byte[512], DiskRig.write10(0, 1, 0)).sense()))
                .isEqualTo("700007000000000A00000000270200000000");
        assertThat(rig.in(512, DiskRig.read10(0, 1)).status()).isEqualTo(ScsiStatus.GOOD);
        byte[] off = Hex.bytes("00000000" + ModeSenseTest.CONTROL);
        assertThat(rig.out(off, modeSelect6(0x10, off.length)).status()).isEqualTo(ScsiStatus.GOOD);
        assertThat(rig.out(new byte[512], DiskRig.write10(0, 1, 0)).status()).isEqualTo(ScsiStatus.GOOD);
    }

    @Test
    void modeSelect10TakesTheLongHeaderAndABlockDescriptorOfThisMedium() {
        DiskRig rig = DiskRig.thick();
        byte[] params = Hex.bytes("0000" + "0000" + "0000" + "0008" + "0010000000000200" + CACHING_WCE_OFF);
        assertThat(rig.out(params, modeSelect10(0x10, params.length)).status()).isEqualTo(ScsiStatus.GOOD);
        byte[] wrongLength = Hex.bytes("0000" + "0000" + "0000" + "0008" + "0010000000001000" + CACHING_WCE_OFF);
        assertThat(DiskRig.senseSummary(rig.out(wrongLength, modeSelect10(0x10, wrongLength.length)).sense()))
                .isEqualTo("5/26/00/80000D");
    }

    @Test
    void anUnchangeableBitIsInvalidFieldInParameterListWithItsPointer() {
        DiskRig rig = DiskRig.thick();
        byte[] dSense = Hex.bytes("00000000" + "0A0A" + "06100000" + "00".repeat(6));
        assertThat(DiskRig.senseSummary(rig.out(dSense, modeSelect6(0x10, dSense.length)).sense()))
                .isEqualTo("5/26/00/8A0006");
        byte[] ps = Hex.bytes("00000000" + "8A0A" + "02100000" + "00".repeat(6));
        assertThat(DiskRig.senseSummary(rig.out(ps, modeSelect6(0x10, ps.length)).sense()))
                .isEqualTo("5/26/00/8F0004");
        byte[] badLength = Hex.bytes("00000000" + "0A0B" + "02100000" + "00".repeat(7));
        assertThat(DiskRig.senseSummary(rig.out(badLength, modeSelect6(0x10, badLength.length)).sense()))
                .isEqualTo("5/26/00/800005");
        // Windows sets QERR=0 on thin LUNs: the current value, so accepted
        byte[] qerr0 = Hex.bytes("00000000" + ModeSenseTest.CONTROL);
        assertThat(rig.out(qerr0, modeSelect6(0x10, qerr0.length)).status()).isEqualTo(ScsiStatus.GOOD);
    }

    @Test
    void aParameterListShorterThanAnnouncedIsParameterListLengthError() {
        DiskRig rig = DiskRig.thick();
        byte[] params = Hex.bytes("00000000" + CACHING_WCE_OFF);
        assertThat(DiskRig.senseSummary(rig.out(params, modeSelect6(0x10, 40)).sense())).isEqualTo("5/1A/00/000000");
        byte[] truncated = Hex.bytes("00000000" + "0812" + "00".repeat(10));
        assertThat(DiskRig.senseSummary(rig.out(truncated, modeSelect6(0x10, truncated.length)).sense()))
                .isEqualTo("5/1A/00/000000");
    }

    @Test
    void zeroLengthIsANoOpAndSavingNeedsASaveLocation() {
        DiskRig rig = DiskRig.thick();
        assertThat(rig.none(modeSelect6(0x10, 0)).status()).isEqualTo(ScsiStatus.GOOD);
        byte[] params = Hex.bytes("00000000" + CACHING_WCE_OFF);
        assertThat(DiskRig.senseSummary(rig.out(params, modeSelect6(0x11, params.length)).sense()))
                .isEqualTo("5/24/00/C80001");
        assertThat(DiskRig.senseSummary(rig.out(params, modeSelect6(0x00, params.length)).sense()))
                .isEqualTo("5/24/00/CC0001");
    }

    @Test
    void savedPagesPersistAcrossPowerCycles() throws Exception {
        DiskConfig config = DiskRig.config(512, 1024);
        DiskRig first = new DiskRig(config, new FileSavedModePages(dir));
        assertThat(first.in(255, DiskRig.modeSense6(0x08, 0x3F, 0, 255)).data()[4] & 0xFF).isEqualTo(0x88); // PS
        byte[] params = Hex.bytes("00000000" + CACHING_WCE_OFF + CONTROL_SWP_ON);
        assertThat(first.out(params, modeSelect6(0x11, params.length)).status()).isEqualTo(ScsiStatus.GOOD);

        DiskRig second = new DiskRig(config, new FileSavedModePages(dir));
        assertThat(Hex.of(second.in(255, DiskRig.modeSense6(0x08, 0x08, 0, 255)).data()))
                .isEqualTo("17009000" + "88" + CACHING_WCE_OFF.substring(2)); // current = saved; WP from SWP
        assertThat(Hex.of(second.in(255, DiskRig.modeSense6(0x08, 0xC0 | 0x0A, 0, 255)).data()))
                .isEqualTo("0F00" + "90" + "00" + "8A" + CONTROL_SWP_ON.substring(2));
        assertThat(Hex.of(second.in(255, DiskRig.modeSense6(0x08, 0x80 | 0x08, 0, 255)).data()).substring(8, 14))
                .isEqualTo("881204"); // defaults keep WCE=1
        assertThat(second.out(new byte[512], DiskRig.write10(0, 1, 0)).sense()[13]).isEqualTo((byte) 0x02);
    }
}
