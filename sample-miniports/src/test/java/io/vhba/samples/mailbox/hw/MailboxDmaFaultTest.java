package io.vhba.samples.mailbox.hw;

import static org.assertj.core.api.Assertions.assertThat;

import io.vhba.hw.AttachedUnit;
import io.vhba.hw.ControllerOptions;
import io.vhba.hw.DmaFault;
import io.vhba.hw.ScsiResult;
import io.vhba.samples.mailbox.hw.MailboxRegister.Status;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** DMA faults: the slot completes with DMA_ERROR; a completion that cannot be reported stops the device. */
class MailboxDmaFaultTest {
    private final ScriptedUnit unit = new ScriptedUnit();

    private ControllerBench bench() {
        return new ControllerBench(ControllerOptions.inline(4), 2, new AttachedUnit(0, 0, unit)).enable(true);
    }

    @Test
    void elementPointingAtUnallocatedMemoryCompletesWithDmaError() {
        try (ControllerBench b = bench()) {
            unit.answer(ScriptedUnit.readPattern(4096, 3));
            long nowhere = b.memory.unallocatedAddress();
            b.fillSlot(2, MailboxCommandTest.READ_10, SlotDirection.IN, 1, 0, 0, 4096,
                    b.sgList(new long[] {nowhere}, new int[] {4096}), 1);
            b.ring(2);
            byte[] area = b.completionArea(2);
            assertThat(area[1]).isEqualTo((byte) HostStatus.DMA_ERROR.code());
            assertThat(Arrays.copyOfRange(area, 0, 8)).containsExactly(0, HostStatus.DMA_ERROR.code(), 0, 0, 0, 0, 0, 0);
            assertThat(b.cqEntry(1, 0)).containsExactly(2, 1);
            assertThat(b.interrupts.messages()).containsExactly(1);
            assertThat(b.stat("dmaFaults")).isEqualTo(1);
        }
    }

    @Test
    void faultInTheMiddleElementStopsTheTransferThere() {
        try (ControllerBench b = bench()) {
            long[][] sg = MailboxCommandTest.threeElements(b);
            b.memory.failFrame(sg[0][1]);
            unit.answer(ScriptedUnit.readPattern(5120, 5));
            b.fillSlot(0, MailboxCommandTest.READ_10, SlotDirection.IN, 0, 0, 0, 5120,
                    b.sgList(sg[0], MailboxCommandTest.lengths(sg)), 3);
            b.ring(0);
            assertThat(b.hostStatus(0)).isEqualTo(HostStatus.DMA_ERROR.code());
            assertThat(b.memory.bytes(sg[0][0], 512)).containsExactly(Arrays.copyOfRange(ScriptedUnit.pattern(5120, 5), 0, 512));
            assertThat(b.memory.bytes(sg[0][2], 512)).containsOnly(0);
        }
    }

    @Test
    void unitSwallowingTheFaultStillCompletesWithDmaError() {
        try (ControllerBench b = bench()) {
            unit.answer(c -> {
                try {
                    c.data().writeDataIn(0, ByteBuffer.allocate(4096));
                } catch (DmaFault ignored) {
                    // a careless device model
                }
                return ScsiResult.good(4096);
            });
            b.fillSlot(0, MailboxCommandTest.READ_10, SlotDirection.IN, 0, 0, 0, 4096,
                    b.sgList(new long[] {b.memory.unallocatedAddress()}, new int[] {4096}), 1);
            b.ring(0);
            assertThat(b.hostStatus(0)).isEqualTo(HostStatus.DMA_ERROR.code());
        }
    }

    @Test
    void unreadableScatterGatherListCompletesWithDmaErrorBeforeTheUnitRuns() {
        try (ControllerBench b = bench()) {
            b.fillSlot(1, MailboxCommandTest.READ_10, SlotDirection.IN, 0, 0, 0, 4096, b.memory.unallocatedAddress(), 1);
            b.ring(1);
            assertThat(b.hostStatus(1)).isEqualTo(HostStatus.DMA_ERROR.code());
            assertThat(b.cqEntry(0, 0)).containsExactly(1, 1);
            assertThat(unit.seen()).isEmpty();
        }
    }

    @Test
    void unreachableSlotArrayStopsTheDeviceWithDmaFault() {
        try (ControllerBench b = new ControllerBench(ControllerOptions.inline(4), 1, new AttachedUnit(0, 0, unit))) {
            b.enable(true);
            long nowhere = b.memory.unallocatedAddress();
            b.write(MailboxRegister.CONTROL, 0); // disable, repoint the slot array, enable again
            b.write(MailboxRegister.SLOT_BASE_LO, (int) nowhere);
            b.write(MailboxRegister.SLOT_BASE_HI, (int) (nowhere >>> 32));
            b.write(MailboxRegister.CONTROL, MailboxRegister.Control.ENABLE | MailboxRegister.Control.INTR_ENABLE
                    | MailboxRegister.Control.MSIX_ENABLE);
            assertThat(b.read(MailboxRegister.STATUS)).isEqualTo(Status.READY);

            b.ring(0);
            int status = b.read(MailboxRegister.STATUS);
            assertThat(status & (Status.READY | Status.FATAL)).isEqualTo(Status.FATAL);
            assertThat(Status.fatalCode(status)).isEqualTo(FatalCode.DMA_FAULT);
            assertThat(b.cqEntry(0, 0)).containsExactly(0, 0);
            assertThat(b.interrupts.messages()).isEmpty();
            assertThat(unit.seen()).isEmpty();
        }
    }
}
