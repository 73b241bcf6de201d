package io.vhba.emulator.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vhba.hw.CommandLost;
import io.vhba.hw.DataBuffer;
import io.vhba.hw.DataDirection;
import io.vhba.hw.ScsiCommand;
import io.vhba.hw.ScsiLogicalUnit;
import io.vhba.hw.ScsiResult;
import io.vhba.miniport.scsi.ScsiStatus;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FaultyLogicalUnitTest {
    private final List<Integer> reached = new ArrayList<>();
    private final FaultInjector injector = new FaultInjector();
    private final ScsiLogicalUnit unit = injector.wrap("mailbox0", 0, c -> {
        reached.add(c.opcode());
        // a 512-byte-block disk: a read moves its whole transfer length
        int blocks = c.cdbLength() == 10 ? (c.cdb()[7] & 0xFF) << 8 | (c.cdb()[8] & 0xFF) : c.cdb()[13] & 0xFF;
        return ScsiResult.good(c.opcode() == 0x28 ? blocks * 512 : 0);
    });

    private static ScsiCommand rw10(int opcode, long lba, int blocks) {
        byte[] cdb = {(byte) opcode, 0, (byte) (lba >>> 24), (byte) (lba >>> 16), (byte) (lba >>> 8), (byte) lba, 0,
                (byte) (blocks >>> 8), (byte) blocks, 0};
        return new ScsiCommand(cdb, 10, opcode == 0x28 ? DataDirection.IN : DataDirection.OUT, DataBuffer.NONE, 0);
    }

    private static ScsiCommand rw16(int opcode, long lba, int blocks) {
        byte[] cdb = new byte[16];
        cdb[0] = (byte) opcode;
        for (int i = 0; i < 8; i++) {
            cdb[2 + i] = (byte) (lba >>> (56 - 8 * i));
        }
        cdb[13] = (byte) blocks;
        return new ScsiCommand(cdb, 16, DataDirection.OUT, DataBuffer.NONE, 0);
    }

    @Test
    void aReadTouchingTheRangeFailsWithUnrecoveredReadErrorAndTheFirstBadLbaInInformation() {
        injector.inject("medium-error,lun=0,lba=2048-2055");
        ScsiResult r = unit.execute(rw10(0x28, 2040, 16));
        assertThat(r.status()).isEqualTo(ScsiStatus.CHECK_CONDITION);
        assertThat(r.sense().toBytes()).containsExactly(
                0xF0, 0, 0x03, 0x00, 0x00, 0x08, 0x00, 10, 0, 0, 0, 0, 0x11, 0x00, 0, 0, 0, 0);
        // As a disk does, the blocks in front of the bad one come back: 2040..2047, 8 x 512 bytes.
        assertThat(reached).containsExactly(0x28);
        assertThat(r.transferred()).isEqualTo(8 * 512);
    }

    @Test
    void aWriteInsideTheRangeFailsWithWriteErrorAtItsOwnFirstLba() {
        injector.inject("medium-error,lun=0,lba=2048-2055");
        ScsiResult r = unit.execute(rw16(0x8A, 2050, 4));
        assertThat(r.sense().toBytes()).containsExactly(
                0xF0, 0, 0x03, 0x00, 0x00, 0x08, 0x02, 10, 0, 0, 0, 0, 0x0C, 0x00, 0, 0, 0, 0);
    }

    @Test
    void commandsBesideTheRangeAndOtherLunsReachTheUnit() {
        injector.inject("medium-error,lun=0,lba=2048-2055");
        assertThat(unit.execute(rw10(0x28, 0, 8)).isGood()).isTrue();
        assertThat(unit.execute(rw10(0x28, 2056, 8)).isGood()).isTrue();
        assertThat(unit.execute(rw10(0x28, 2040, 8)).isGood()).isTrue(); // 2040..2047
        ScsiLogicalUnit lun1 = injector.wrap("mailbox0", 1, c -> ScsiResult.good(0));
        assertThat(lun1.execute(rw10(0x28, 2048, 1)).isGood()).isTrue();
        assertThat(reached).containsExactly(0x28, 0x28, 0x28);
        assertThat(injector.active().get(0).fired()).isZero();
    }

    @Test
    void neverCompleteLosesTheCommandOnceThenTheUnitAnswers() {
        ActiveFault f = injector.inject("never-complete,lun=0,count=1");
        assertThatThrownBy(() -> unit.execute(rw10(0x28, 0, 1))).isInstanceOf(CommandLost.class);
        assertThat(unit.execute(rw10(0x28, 0, 1)).isGood()).isTrue();
        assertThat(f.fired()).isEqualTo(1);
        assertThat(f.exhausted()).isTrue();
    }

    @Test
    void aGivenSenseOnEveryOtherCommand() {
        injector.inject("sense,lun=0,key=2,asc=04,ascq=02,every=2");
        assertThat(unit.execute(rw10(0x28, 0, 1)).isGood()).isTrue();
        ScsiResult r = unit.execute(rw10(0x28, 0, 1));
        assertThat(r.sense().toBytes()).containsExactly(0x70, 0, 0x02, 0, 0, 0, 0, 10, 0, 0, 0, 0, 0x04, 0x02, 0, 0, 0, 0);
    }

    @Test
    void aFaultAimedAtAnAdapterOrLunThatDoesNotExistIsRefused() {
        assertThatThrownBy(() -> injector.inject("busy,adapter=nope")).isInstanceOf(FaultSpecException.class)
                .hasMessage("busy: no adapter 'nope'; adapters: mailbox0");
        assertThatThrownBy(() -> injector.inject("busy,lun=7")).isInstanceOf(FaultSpecException.class)
                .hasMessage("busy: no LUN 7");
    }
}
