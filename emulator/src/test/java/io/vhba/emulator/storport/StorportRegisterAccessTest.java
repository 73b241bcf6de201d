package io.vhba.emulator.storport;

import static org.assertj.core.api.Assertions.assertThat;

import io.vhba.emulator.verifier.VerifierPolicy;
import io.vhba.emulator.verifier.VerifierRule;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Read/Write Register and Port families, single and buffered, through the MmioBus. */
class StorportRegisterAccessTest extends EngineFixture {

    @BeforeEach
    void up() throws Exception {
        start();
    }

    private long reg(int offset) {
        return ext().regs + offset;
    }

    @Test
    void everyRegisterWidthReadsBackWhatWasWritten() {
        var p = ext().port;
        var e = ext();
        p.writeRegisterUchar(e, reg(TestController.SCRATCH8), (byte) 0xA5);
        p.writeRegisterUshort(e, reg(TestController.SCRATCH16), (short) 0xBEEF);
        p.writeRegisterUlong(e, reg(TestController.ENABLE), 0x1234_5678);
        p.writeRegisterUlong64(e, reg(TestController.SCRATCH64), 0x0102_0304_0506_0708L);
        assertThat(p.readRegisterUchar(e, reg(TestController.SCRATCH8))).isEqualTo((byte) 0xA5);
        assertThat(p.readRegisterUshort(e, reg(TestController.SCRATCH16))).isEqualTo((short) 0xBEEF);
        assertThat(p.readRegisterUlong(e, reg(TestController.ENABLE))).isEqualTo(0x1234_5678);
        assertThat(p.readRegisterUlong64(e, reg(TestController.SCRATCH64))).isEqualTo(0x0102_0304_0506_0708L);
    }

    @Test
    void registerBufferRoutinesWalkConsecutiveRegisters() {
        var p = ext().port;
        var e = ext();
        p.writeRegisterBufferUchar(e, reg(TestController.SCRATCH8), new byte[] {0x11, 0x22}, 2);
        p.writeRegisterBufferUshort(e, reg(TestController.SCRATCH16), new short[] {0x3344, 0x5566}, 2);
        p.writeRegisterBufferUlong(e, reg(TestController.CMD_LO), new int[] {0xAAAA_0001, 0xBBBB_0002}, 2);
        p.writeRegisterBufferUlong64(e, reg(TestController.SCRATCH64), new long[] {7L, -8L}, 2);
        byte[] b = new byte[2];
        short[] s = new short[2];
        int[] i = new int[2];
        long[] l = new long[2];
        p.readRegisterBufferUchar(e, reg(TestController.SCRATCH8), b, 2);
        p.readRegisterBufferUshort(e, reg(TestController.SCRATCH16), s, 2);
        p.readRegisterBufferUlong(e, reg(TestController.CMD_LO), i, 2);
        p.readRegisterBufferUlong64(e, reg(TestController.SCRATCH64), l, 2);
        assertThat(b).containsExactly(0x11, 0x22);
        assertThat(s).containsExactly((short) 0x3344, (short) 0x5566);
        assertThat(i).containsExactly(0xAAAA_0001, 0xBBBB_0002);
        assertThat(l).containsExactly(7L, -8L);
        assertThat(p.readRegisterUlong(e, reg(TestController.CMD_HI))).isEqualTo(0xBBBB_0002); // the second register
    }

    @Test
    void portRoutinesReachTheSameBusAndBufferedOnesRepeatOnePort() {
        var p = ext().port;
        var e = ext();
        p.writePortUchar(e, reg(TestController.SCRATCH8), (byte) 7);
        p.writePortUshort(e, reg(TestController.SCRATCH16), (short) 0x77);
        p.writePortUlong(e, reg(TestController.ENABLE), 0x777);
        assertThat(p.readPortUchar(e, reg(TestController.SCRATCH8))).isEqualTo((byte) 7);
        assertThat(p.readPortUshort(e, reg(TestController.SCRATCH16))).isEqualTo((short) 0x77);
        assertThat(p.readPortUlong(e, reg(TestController.ENABLE))).isEqualTo(0x777);

        p.writePortBufferUlong(e, reg(TestController.ENABLE), new int[] {1, 2, 3}, 3); // rep outsd: same port
        int[] i = new int[2];
        p.readPortBufferUlong(e, reg(TestController.ENABLE), i, 2);
        assertThat(i).containsExactly(3, 3);
        p.writePortBufferUchar(e, reg(TestController.SCRATCH8), new byte[] {4, 5}, 2);
        p.writePortBufferUshort(e, reg(TestController.SCRATCH16), new short[] {6, 9}, 2);
        byte[] b = new byte[2];
        short[] s = new short[2];
        p.readPortBufferUchar(e, reg(TestController.SCRATCH8), b, 2);
        p.readPortBufferUshort(e, reg(TestController.SCRATCH16), s, 2);
        assertThat(b).containsExactly(5, 5);
        assertThat(s).containsExactly((short) 9, (short) 9);
        assertThat(p.readRegisterUchar(e, reg(TestController.SCRATCH8 + 1))).isEqualTo((byte) 0x00); // untouched neighbour
    }

    @Test
    void accessOutsideTheMappedWindowOrTheDeclaredMapIsBadRegisterAddress() throws Exception {
        verifier.setPolicy(VerifierPolicy.LOG_ONLY);
        var p = ext().port;
        var e = ext();
        assertThat(p.readPortUlong(e, reg(4096))).isZero(); // past the BAR
        assertThat(verifier.awaitBugCheck(VerifierRule.BAD_REGISTER_ADDRESS, 1, TimeUnit.SECONDS).detail())
                .contains("outside the windows the adapter mapped");
        p.writeRegisterBufferUlong(e, reg(0x100), new int[] {1}, 1); // inside the BAR, no register there
        assertThat(verifier.bugChecks()).filteredOn(b -> b.rule() == VerifierRule.BAD_REGISTER_ADDRESS).hasSize(2);
        p.readRegisterUchar(e, reg(TestController.ENABLE)); // a DWORD register read as a byte
        assertThat(verifier.bugChecks()).filteredOn(b -> b.rule() == VerifierRule.BAD_REGISTER_ADDRESS).hasSize(3);
    }
}
