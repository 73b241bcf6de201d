package io.vhba.samples.mailbox.hw;

import static org.assertj.core.api.Assertions.assertThat;

import io.vhba.hw.AttachedUnit;
import io.vhba.hw.ControllerOptions;
import io.vhba.samples.mailbox.hw.MailboxRegister.Control;
import org.junit.jupiter.api.Test;

/** Line-interrupt mode: CONTROL.MSIX_ENABLE clear, INTR_STATUS and the INTx level. */
class MailboxInterruptLineTest {
    private static final byte[] TEST_UNIT_READY = new byte[6];

    private static ControllerBench bench() {
        return new ControllerBench(ControllerOptions.inline(4), 2, new AttachedUnit(0, 0, new ScriptedUnit())).enable(false);
    }

    private static void complete(ControllerBench b, int slot, int vector) {
        b.fillSlot(slot, TEST_UNIT_READY, SlotDirection.NONE, vector, 0, 0, 0, 0, 0);
        b.ring(slot);
    }

    @Test
    void completionSetsTheVectorsStatusBitAndAssertsTheLineUntilAcknowledged() {
        try (ControllerBench b = bench()) {
            complete(b, 0, 1);
            assertThat(b.read(MailboxRegister.INTR_STATUS)).isEqualTo(0b10);
            assertThat(b.interrupts.lineAsserted()).isTrue();
            assertThat(b.interrupts.messages()).isEmpty();

            // the line ISR: acknowledge first, then drain, then hand the queue back
            b.write(MailboxRegister.INTR_STATUS, b.read(MailboxRegister.INTR_STATUS));
            assertThat(b.interrupts.lineAsserted()).isFalse();
            assertThat(b.cqEntry(1, 0)).containsExactly(0, 1);
            b.write(MailboxRegister.CQ_HEAD, 1, 1);

            assertThat(b.interrupts.events()).containsExactly("ASSERT", "DEASSERT");
            assertThat(b.read(MailboxRegister.INTR_STATUS)).isZero();
            assertThat(b.stat("interruptsSignalled")).isEqualTo(1);
        }
    }

    @Test
    void theLineStaysUpWhileAnyUnmaskedVectorIsPending() {
        try (ControllerBench b = bench()) {
            complete(b, 0, 0);
            complete(b, 1, 1);
            assertThat(b.read(MailboxRegister.INTR_STATUS)).isEqualTo(0b11);
            b.write(MailboxRegister.INTR_STATUS, 0b01);
            assertThat(b.interrupts.lineAsserted()).isTrue();
            b.write(MailboxRegister.INTR_STATUS, 0b10);
            assertThat(b.interrupts.lineAsserted()).isFalse();
            assertThat(b.interrupts.events()).containsExactly("ASSERT", "DEASSERT");
        }
    }

    @Test
    void maskedVectorsSetStatusButLeaveTheLineAlone() {
        try (ControllerBench b = bench()) {
            b.write(MailboxRegister.INTR_MASK, 0b01);
            complete(b, 0, 0);
            assertThat(b.read(MailboxRegister.INTR_STATUS)).isEqualTo(0b01);
            assertThat(b.interrupts.lineAsserted()).isFalse();
            b.write(MailboxRegister.INTR_MASK, 0);
            assertThat(b.interrupts.lineAsserted()).isTrue();
        }
    }

    @Test
    void withInterruptsDisabledTheQueueFillsSilentlyAndEnablingRaises() {
        try (ControllerBench b = bench()) {
            b.write(MailboxRegister.CONTROL, Control.ENABLE);
            complete(b, 0, 0);
            assertThat(b.cqEntry(0, 0)).containsExactly(0, 1);
            assertThat(b.interrupts.events()).isEmpty();
            b.write(MailboxRegister.CONTROL, Control.ENABLE | Control.INTR_ENABLE);
            assertThat(b.interrupts.events()).containsExactly("ASSERT");
        }
    }

    @Test
    void resetDropsTheLine() {
        try (ControllerBench b = bench()) {
            complete(b, 0, 0);
            assertThat(b.interrupts.lineAsserted()).isTrue();
            b.write(MailboxRegister.CONTROL, Control.RESET);
            assertThat(b.interrupts.lineAsserted()).isFalse();
            assertThat(b.read(MailboxRegister.INTR_STATUS)).isZero();
        }
    }
}
