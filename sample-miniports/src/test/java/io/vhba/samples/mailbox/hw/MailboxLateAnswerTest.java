package io.vhba.samples.mailbox.hw;

import static org.assertj.core.api.Assertions.assertThat;

import io.vhba.hw.AttachedUnit;
import io.vhba.hw.ControllerOptions;
import io.vhba.hw.ScsiLogicalUnit;
import io.vhba.hw.ScsiResult;
import io.vhba.miniport.scsi.AdditionalSense;
import io.vhba.miniport.scsi.SenseData;
import io.vhba.miniport.scsi.SenseKey;
import io.vhba.samples.common.LateUnit;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * A unit that answers after {@link ScsiLogicalUnit#start} returned (a SANITIZE without IMMED): the slot stays
 * open, nothing is posted until the answer comes, and then the completion and its interrupt come from the
 * unit's thread. An abort meanwhile completes the slot ABORTED and the late answer is dropped.
 */
class MailboxLateAnswerTest {
    static final byte[] SANITIZE = {0x48, 0x02, 0, 0, 0, 0, 0, 0, 0, 0};

    @Test
    void theCompletionAndItsInterruptComeWhenTheUnitAnswers() throws Exception {
        LateUnit unit = new LateUnit();
        try (ControllerBench b = new ControllerBench(ControllerOptions.inline(8), 4, new AttachedUnit(0, 0, unit))
                .enable(true)) {
            b.fillSlot(2, SANITIZE, SlotDirection.NONE, 1, 0, 0, 0, 0, 0);
            b.ring(2);
            Consumer<ScsiResult> done = unit.pending.get(5, TimeUnit.SECONDS);
            assertThat(b.cqEntry(1, 0)).as("nothing posted while the unit works").containsExactly(0, 0);
            assertThat(b.interrupts.messages()).isEmpty();

            SenseData failed = SenseData.of(SenseKey.MEDIUM_ERROR, AdditionalSense.SANITIZE_COMMAND_FAILED);
            Thread unitThread = new Thread(() -> done.accept(ScsiResult.checkCondition(failed)));
            unitThread.start();
            unitThread.join(5000);

            assertThat(b.interrupts.awaitMessage()).isEqualTo(1);
            assertThat(b.cqEntry(1, 0)).containsExactly(2, 1);
            byte[] area = b.completionArea(2);
            assertThat(area[0]).as("SCSI STATUS CHECK CONDITION").isEqualTo((byte) 0x02);
            assertThat(area[1]).as("HOST STATUS OK").isEqualTo((byte) HostStatus.OK.code());
            assertThat(new int[] {area[8 + 2] & 0x0F, area[8 + 12] & 0xFF, area[8 + 13] & 0xFF})
                    .as("MEDIUM ERROR / SANITIZE COMMAND FAILED").containsExactly(0x03, 0x31, 0x03);
        }
    }

    @Test
    void anAbortWhileTheUnitWorksCompletesTheSlotAndTheLateAnswerIsDropped() throws Exception {
        LateUnit unit = new LateUnit();
        try (ControllerBench b = new ControllerBench(ControllerOptions.inline(8), 4, new AttachedUnit(0, 0, unit))
                .enable(true)) {
            b.fillSlot(2, SANITIZE, SlotDirection.NONE, 1, 0, 0, 0, 0, 0);
            b.ring(2);
            Consumer<ScsiResult> done = unit.pending.get(5, TimeUnit.SECONDS);
            b.write(MailboxRegister.ABORT, 2);
            assertThat(b.hostStatus(2)).isEqualTo(HostStatus.ABORTED.code());
            assertThat(b.cqEntry(1, 0)).containsExactly(2, 1);
            assertThat(b.interrupts.messages()).containsExactly(1);

            done.accept(ScsiResult.good(0));
            assertThat(b.hostStatus(2)).as("the slot keeps its abort").isEqualTo(HostStatus.ABORTED.code());
            assertThat(b.cqEntry(1, 1)).as("no second entry").containsExactly(0, 0);
            assertThat(b.interrupts.messages()).containsExactly(1);
            assertThat(b.stat("aborts")).isEqualTo(1);
        }
    }
}
