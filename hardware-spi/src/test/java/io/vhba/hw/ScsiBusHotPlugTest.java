package io.vhba.hw;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vhba.miniport.scsi.ScsiStatus;
import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Units plugged into and pulled out of a bus while it serves: REPORT LUNS and routing follow at once. */
class ScsiBusHotPlugTest {
    /** A unit that answers every command GOOD and counts them. */
    private static final class Counting implements ScsiLogicalUnit {
        int commands;

        @Override
        public ScsiResult execute(ScsiCommand command) {
            commands++;
            return ScsiResult.good(0);
        }
    }

    /** A data buffer over an array, for REPORT LUNS. */
    private static final class ArrayBuffer implements DataBuffer {
        final byte[] bytes = new byte[64];

        @Override
        public int length() {
            return bytes.length;
        }

        @Override
        public void writeDataIn(int offset, ByteBuffer src) {
            src.get(bytes, offset, src.remaining());
        }

        @Override
        public void readDataOut(int offset, ByteBuffer dst) {
            throw new UnsupportedOperationException();
        }
    }

    private static List<Integer> reportLuns(ScsiBus bus) {
        ArrayBuffer b = new ArrayBuffer();
        byte[] cdb = {(byte) 0xA0, 0, 0, 0, 0, 0, 0, 0, 0, 64, 0, 0};
        ScsiResult r = bus.execute(0, 0, new ScsiCommand(cdb, 12, DataDirection.IN, b, 0));
        assertThat(r.status()).isEqualTo(ScsiStatus.GOOD);
        int n = ByteBuffer.wrap(b.bytes).getInt(0) / 8;
        return java.util.stream.IntStream.range(0, n).map(i -> b.bytes[8 + 8 * i + 1] & 0xFF).boxed().toList();
    }

    private static ScsiResult testUnitReady(ScsiBus bus, int lun) {
        return bus.execute(0, lun, new ScsiCommand(new byte[6], 6, DataDirection.NONE, DataBuffer.NONE, 0));
    }

    @Test
    void anAttachedUnitIsReportedAndReachedADetachedOneIsNot() {
        Counting zero = new Counting();
        Counting three = new Counting();
        ScsiBus bus = new ScsiBus(List.of(new AttachedUnit(0, 0, zero)));
        assertThat(reportLuns(bus)).containsExactly(0);

        bus.attach(new AttachedUnit(0, 3, three));
        assertThat(reportLuns(bus)).containsExactly(0, 3);
        assertThat(testUnitReady(bus, 3).isGood()).isTrue();
        assertThat(three.commands).isEqualTo(1);
        assertThat(bus.attached()).extracting(AttachedUnit::lun).containsExactly(0, 3);

        assertThat(bus.detach(0, 3)).isSameAs(three);
        assertThat(reportLuns(bus)).containsExactly(0);
        ScsiResult gone = testUnitReady(bus, 3);
        assertThat(gone.status()).isEqualTo(ScsiStatus.CHECK_CONDITION);
        assertThat(gone.sense().sense().asc()).as("LOGICAL UNIT NOT SUPPORTED").isEqualTo(0x25);
        assertThat(three.commands).as("nothing reaches a detached unit").isEqualTo(1);
        assertThat(bus.detach(0, 3)).isNull();
    }

    @Test
    void anAddressIsTakenOnce() {
        ScsiBus bus = new ScsiBus(List.of(new AttachedUnit(0, 0, new Counting())));
        assertThatThrownBy(() -> bus.attach(new AttachedUnit(0, 0, new Counting())))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("a unit is already attached at 0:0");
        assertThatThrownBy(() -> new ScsiBus(List.of(new AttachedUnit(0, 1, new Counting()), new AttachedUnit(0, 1, new Counting()))))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
