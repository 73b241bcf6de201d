package io.vhba.samples.mailbox.hw;

import static org.assertj.core.api.Assertions.assertThat;

import io.vhba.hw.AttachedUnit;
import io.vhba.hw.ControllerOptions;
import io.vhba.hw.ScsiResult;
import io.vhba.samples.common.hw.LunReset;
import io.vhba.samples.mailbox.hw.MailboxRegister.Control;
import java.nio.ByteBuffer;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A threaded controller: completion from the worker, and ABORT / LUN_RESET / RESET cancelling real pending work. */
class MailboxThreadedTest {
    /** Long enough that a queued command never runs during a test. */
    private static final long NEVER = 600_000_000L;
    private static final byte[] TEST_UNIT_READY = new byte[6];

    private static void await(CountDownLatch latch) throws InterruptedException {
        assertThat(latch.await(10, TimeUnit.SECONDS)).as("latch released within 10 s").isTrue();
    }

    @Test
    void workerCompletesTheCommandAfterItsLatencyAndSignalsTheVector() throws Exception {
        ScriptedUnit unit = new ScriptedUnit().answer(ScriptedUnit.readPattern(4096, 11));
        try (ControllerBench b = new ControllerBench(ControllerOptions.threaded(200, 4), 2, new AttachedUnit(0, 0, unit)).enable(true)) {
            long page = b.memory.allocateContiguous(4096);
            b.fillSlot(3, MailboxCommandTest.READ_10, SlotDirection.IN, 1, 0, 0, 4096,
                    b.sgList(new long[] {page}, new int[] {4096}), 1);
            b.ring(3);
            assertThat(b.interrupts.awaitMessage()).isEqualTo(1);
            assertThat(b.cqEntry(1, 0)).containsExactly(3, 1);
            assertThat(b.hostStatus(3)).isEqualTo(HostStatus.OK.code());
            assertThat(b.memory.bytes(page, 4096)).containsExactly(ScriptedUnit.pattern(4096, 11));
        }
    }

    @Test
    void abortOfAQueuedCommandCompletesItAbortedBeforeTheWriteReturns() {
        ScriptedUnit unit = new ScriptedUnit();
        try (ControllerBench b = new ControllerBench(ControllerOptions.threaded(NEVER, 4), 2, new AttachedUnit(0, 0, unit)).enable(true)) {
            b.fillSlot(1, TEST_UNIT_READY, SlotDirection.NONE, 1, 0, 0, 0, 0, 0);
            b.ring(1);
            b.write(MailboxRegister.ABORT, 1);

            assertThat(b.hostStatus(1)).isEqualTo(HostStatus.ABORTED.code());
            assertThat(b.cqEntry(1, 0)).containsExactly(1, 1);
            assertThat(b.interrupts.messages()).containsExactly(1);
            assertThat(b.stat("aborts")).isEqualTo(1);

            b.write(MailboxRegister.ABORT, 1); // nothing pending there any more: no effect
            b.write(MailboxRegister.ABORT, 3);
            assertThat(b.stat("aborts")).isEqualTo(1);
            assertThat(b.cqEntry(1, 1)).containsExactly(0, 0);
            assertThat(unit.seen()).isEmpty();
        }
    }

    @Test
    void abortOfARunningCommandStopsItsDataPhase() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch finished = new CountDownLatch(1);
        ScriptedUnit slow = new ScriptedUnit().answer(c -> {
            try {
                entered.countDown();
                release.await();
                c.data().writeDataIn(0, ByteBuffer.wrap(ScriptedUnit.pattern(4096, 1)));
                return ScsiResult.good(4096);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            } finally {
                finished.countDown();
            }
        });
        ScriptedUnit quick = new ScriptedUnit();
        try (ControllerBench b = new ControllerBench(ControllerOptions.threaded(0, 4), 1,
                new AttachedUnit(0, 0, slow), new AttachedUnit(0, 1, quick)).enable(true)) {
            long page = b.memory.allocateContiguous(4096);
            b.fillSlot(0, MailboxCommandTest.READ_10, SlotDirection.IN, 0, 0, 0, 4096,
                    b.sgList(new long[] {page}, new int[] {4096}), 1);
            b.ring(0);
            await(entered);

            b.write(MailboxRegister.ABORT, 0);
            assertThat(b.hostStatus(0)).isEqualTo(HostStatus.ABORTED.code());
            assertThat(b.cqEntry(0, 0)).containsExactly(0, 1);
            assertThat(b.interrupts.awaitMessage()).isZero();

            release.countDown();
            await(finished);
            b.write(MailboxRegister.CQ_HEAD, 0, 1);
            // the worker is free again: the next command completes normally
            b.fillSlot(1, TEST_UNIT_READY, SlotDirection.NONE, 0, 0, 1, 0, 0, 0);
            b.ring(1);
            assertThat(b.interrupts.awaitMessage()).isZero();
            assertThat(b.cqEntry(0, 1)).containsExactly(1, 1);

            assertThat(b.memory.bytes(page, 4096)).containsOnly(0); // the aborted Data-In never landed
            assertThat(b.hostStatus(0)).isEqualTo(HostStatus.ABORTED.code());
            assertThat(b.cqEntry(0, 2)).containsExactly(0, 0);
        }
    }

    @Test
    void lunResetCancelsOnlyTheAddressedUnitsCommands() {
        try (ControllerBench b = new ControllerBench(ControllerOptions.threaded(NEVER, 4), 1,
                new AttachedUnit(0, 0, new ScriptedUnit()), new AttachedUnit(0, 1, new ScriptedUnit()),
                new AttachedUnit(1, 0, new ScriptedUnit())).enable(true)) {
            b.fillSlot(0, TEST_UNIT_READY, SlotDirection.NONE, 0, 0, 0, 0, 0, 0);
            b.fillSlot(1, TEST_UNIT_READY, SlotDirection.NONE, 0, 0, 1, 0, 0, 0);
            b.fillSlot(2, TEST_UNIT_READY, SlotDirection.NONE, 0, 1, 0, 0, 0, 0);
            b.ring(0);
            b.ring(1);
            b.ring(2);

            b.write(MailboxRegister.LUN_RESET, LunReset.encode(0, 1));
            assertThat(b.hostStatus(1)).isEqualTo(HostStatus.RESET.code());
            assertThat(b.cqEntry(0, 0)).containsExactly(1, 1);
            assertThat(b.completionArea(0)).containsOnly(0);
            assertThat(b.completionArea(2)).containsOnly(0);
            b.write(MailboxRegister.CQ_HEAD, 0, 1);

            b.write(MailboxRegister.LUN_RESET, LunReset.encode(0, 0) | LunReset.ALL_LUNS); // target reset of target 0
            assertThat(b.hostStatus(0)).isEqualTo(HostStatus.RESET.code());
            assertThat(b.cqEntry(0, 1)).containsExactly(0, 1);
            assertThat(b.completionArea(2)).containsOnly(0);
            assertThat(b.interrupts.messages()).containsExactly(0, 0);

            b.write(MailboxRegister.CONTROL, Control.RESET); // and the rest goes with the controller
            assertThat(b.hostStatus(2)).isEqualTo(HostStatus.RESET.code());
            assertThat(b.cqEntry(0, 2)).containsExactly(0, 0);
            assertThat(b.stat("resets")).isEqualTo(3);
        }
    }

    @Test
    void controllerResetCancelsEveryPendingSlotWithoutQueueEntries() {
        ScriptedUnit unit = new ScriptedUnit();
        try (ControllerBench b = new ControllerBench(ControllerOptions.threaded(NEVER, 4), 2, new AttachedUnit(0, 0, unit)).enable(true)) {
            b.fillSlot(0, TEST_UNIT_READY, SlotDirection.NONE, 0, 0, 0, 0, 0, 0);
            b.fillSlot(3, TEST_UNIT_READY, SlotDirection.NONE, 1, 0, 0, 0, 0, 0);
            b.ring(0);
            b.ring(3);
            b.write(MailboxRegister.CONTROL, Control.RESET);

            assertThat(b.hostStatus(0)).isEqualTo(HostStatus.RESET.code());
            assertThat(b.hostStatus(3)).isEqualTo(HostStatus.RESET.code());
            assertThat(b.cqEntry(0, 0)).containsExactly(0, 0);
            assertThat(b.cqEntry(1, 0)).containsExactly(0, 0);
            assertThat(b.interrupts.messages()).isEmpty();
            assertThat(b.read(MailboxRegister.STATUS)).isZero();
            assertThat(unit.seen()).isEmpty();

            // the slots are free again once the driver reprograms the device
            b.enable(true);
            b.ring(0);
            assertThat(b.stat("doorbells")).isEqualTo(3);
        }
    }

    @Test
    void clearingEnableStopsTheDeviceLikeAResetButKeepsTheConfiguration() {
        try (ControllerBench b = new ControllerBench(ControllerOptions.threaded(NEVER, 4), 1,
                new AttachedUnit(0, 0, new ScriptedUnit())).enable(true)) {
            b.fillSlot(2, TEST_UNIT_READY, SlotDirection.NONE, 0, 0, 0, 0, 0, 0);
            b.ring(2);
            b.write(MailboxRegister.CONTROL, Control.INTR_ENABLE | Control.MSIX_ENABLE);
            assertThat(b.hostStatus(2)).isEqualTo(HostStatus.RESET.code());
            assertThat(b.read(MailboxRegister.STATUS)).isZero();
            assertThat(b.read(MailboxRegister.NUM_SLOTS)).isEqualTo(4);
        }
    }
}
