package io.vhba.samples.ring.hw;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vhba.hw.AttachedUnit;
import io.vhba.hw.CommandLost;
import io.vhba.hw.ControllerOptions;
import io.vhba.hw.DataDirection;
import io.vhba.hw.RegisterAccessException;
import io.vhba.hw.ScsiResult;
import io.vhba.hw.Width;
import io.vhba.miniport.scsi.AdditionalSense;
import io.vhba.miniport.scsi.SenseData;
import io.vhba.miniport.scsi.SenseKey;
import io.vhba.samples.common.LateUnit;
import io.vhba.samples.common.hw.LunReset;
import io.vhba.samples.mailbox.hw.ScriptedUnit;
import io.vhba.samples.ring.hw.RingBench.Completion;
import io.vhba.samples.ring.hw.RingRegister.Abort;
import io.vhba.samples.ring.hw.RingRegister.Control;
import io.vhba.samples.ring.hw.RingRegister.Status;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** The ring controller driven through its registers and rings, byte by byte, as its datasheet says. */
class RingControllerTest {
    static final byte[] READ_10 = {0x28, 0, 0x12, 0x34, 0x56, 0x78, 0, 0, 10, 0};
    static final byte[] WRITE_10 = {0x2A, 0, 0, 0, 0x01, 0x00, 0, 0, 10, 0};
    static final byte[] TEST_UNIT_READY = new byte[6];
    static final byte[] SANITIZE = {0x48, 0x02, 0, 0, 0, 0, 0, 0, 0, 0};

    private final ScriptedUnit unit = new ScriptedUnit();

    private RingBench bench(int queues, int size) {
        return new RingBench(ControllerOptions.inline(256), queues, size, new AttachedUnit(0, 0, unit)).enable();
    }

    @Test
    void theRegisterTableIsTheDatasheets() {
        try (RingBench b = new RingBench(ControllerOptions.inline(128), 1, 4)) {
            assertThat(b.read(RingRegister.VERSION)).isEqualTo(0x0001_0000);
            assertThat(RingRegister.Caps.maxQueueEntries(b.read(RingRegister.CAPS))).isEqualTo(128);
            assertThat(RingRegister.Caps.maxQueues(b.read(RingRegister.CAPS))).isEqualTo(64).isEqualTo(b.controller.msixMessageCount());
            assertThat(b.read(RingRegister.SG_LIMIT)).isEqualTo(RingController.SG_LIMIT);
            assertThat(b.bar0.registerAt(0x154).name()).isEqualTo("QUEUE_VECTOR[2]");
            assertThat(b.bar0.registerAt(0x1018).name()).isEqualTo("SQ_TAIL[3]");
            assertThat(b.bar0.registerAt(0x101C).name()).isEqualTo("CQ_HEAD[3]");
            assertThat(b.bar0.registerAt(0x1000 + 8 * 63).name()).isEqualTo("SQ_TAIL[63]");
            assertThat(b.bar0.size()).isEqualTo(RingRegister.BAR0_SIZE);
            assertThatThrownBy(() -> b.write(RingRegister.VERSION, 1)).isInstanceOf(RegisterAccessException.class);
            assertThatThrownBy(() -> b.bar0.read(RingRegister.SQ_TAIL.offset(0), Width.DWORD)).isInstanceOf(RegisterAccessException.class);
            assertThatThrownBy(() -> b.bar0.read(0x1FC, Width.DWORD)).isInstanceOf(RegisterAccessException.class);
            assertThatThrownBy(() -> b.bar0.read(RingRegister.CONTROL.offset(), Width.WORD)).isInstanceOf(RegisterAccessException.class);
        }
    }

    @Test
    void aReadMovesDataInThroughItsListAndPostsAPhaseTaggedEntryOnItsPairsVector() {
        try (RingBench b = bench(2, 8)) {
            long[] pages = b.memory.allocateScattered(3);
            long[] at = {pages[0] + 3584, pages[1], pages[2]};
            int[] len = {512, 4096, 512};
            byte[] data = ScriptedUnit.pattern(5120, 3);
            unit.answer(ScriptedUnit.readPattern(5120, 3));

            b.submit(1, 5, READ_10, Direction.IN, 0, 5120, b.sgList(at, len), 3, 0);
            b.ring(1);

            assertThat(unit.seen()).singleElement().satisfies(s -> {
                assertThat(s.cdb()).containsExactly(READ_10);
                assertThat(s.direction()).isEqualTo(DataDirection.IN);
                assertThat(s.bufferLength()).isEqualTo(5120);
            });
            assertThat(b.memory.bytes(at[0], 512)).containsExactly(Arrays.copyOfRange(data, 0, 512));
            assertThat(b.memory.bytes(at[1], 4096)).containsExactly(Arrays.copyOfRange(data, 512, 4608));
            assertThat(b.memory.bytes(at[2], 512)).containsExactly(Arrays.copyOfRange(data, 4608, 5120));
            assertThat(b.memory.bytes(at[2] + 512, 16)).containsOnly(0);
            assertThat(b.completion(1, 0)).isEqualTo(new Completion(5, 1, 5120, 0, HostStatus.OK, 0, 1, 1));
            assertThat(b.completion(1, 1).phase()).as("the next entry is not the driver's yet").isZero();
            assertThat(b.completion(0, 0).phase()).as("queue 0 untouched").isZero();
            assertThat(b.interrupts.messages()).containsExactly(RingBench.vector(1));
        }
    }

    @Test
    void aWriteMovesDataOutAndACheckConditionWritesItsSenseWhereTheEntrySays() {
        try (RingBench b = bench(1, 8)) {
            long page = b.memory.allocateContiguous(4096);
            byte[] data = ScriptedUnit.pattern(4096, 9);
            b.memory.put(page, data);
            byte[] received = new byte[4096];
            SenseData sense = SenseData.withInformation(SenseKey.MEDIUM_ERROR, AdditionalSense.UNRECOVERED_READ_ERROR, 0x101);
            unit.answer(c -> {
                c.data().readDataOut(0, ByteBuffer.wrap(received));
                return ScsiResult.checkCondition(sense, 512);
            });
            long senseArea = b.memory.allocateContiguous(64);
            b.submit(0, 3, WRITE_10, Direction.OUT, 0, 4096, b.sgList(new long[] {page}, new int[] {4096}), 1, senseArea);
            b.ring(0);

            assertThat(received).containsExactly(data);
            assertThat(b.completion(0, 0)).isEqualTo(new Completion(3, 1, 512, 0x02, HostStatus.OK, 18, 0, 1));
            assertThat(b.memory.bytes(senseArea, 18)).containsExactly(sense.toBytes());
            assertThat(b.memory.bytes(senseArea + 18, 14)).as("nothing past the sense data").containsOnly(0);
        }
    }

    @Test
    void oneDoorbellFetchesEveryNewEntryAndTheirCompletionsShareOneMessageUntilTheHeadComesBack() {
        try (RingBench b = bench(1, 8)) {
            for (int id = 0; id < 3; id++) {
                b.submit(0, id, TEST_UNIT_READY);
            }
            b.ring(0);
            assertThat(b.stat("sqDoorbells")).isEqualTo(1);
            assertThat(b.stat("submissions")).isEqualTo(3);
            assertThat(b.completion(0, 2)).isEqualTo(new Completion(2, 3, 0, 0, HostStatus.OK, 0, 0, 1));
            assertThat(b.interrupts.messages()).as("three completions, one message").containsExactly(10);

            b.submit(0, 3, TEST_UNIT_READY); // posted while the vector is disarmed: no message yet
            b.ring(0);
            assertThat(b.interrupts.messages()).hasSize(1);
            b.consume(0, 3); // the head stops short of the fourth entry: re-armed and raised at once
            assertThat(b.interrupts.messages()).containsExactly(10, 10);
            b.consume(0, 1);
            assertThat(b.interrupts.messages()).as("nothing new past the head").hasSize(2);
            assertThat(b.stat("cqDoorbells")).isEqualTo(2);
            assertThat(b.stat("completions")).isEqualTo(4);
        }
    }

    @Test
    void thePhaseTagFlipsEachTimeTheCompletionRingWraps() {
        try (RingBench b = bench(1, 4)) {
            for (int i = 0; i < 6; i++) {
                b.submit(0, i % 3, TEST_UNIT_READY);
                b.ring(0);
                b.consume(0, 1);
            }
            // entries 0..3 on the first lap (phase 1), 0..1 again on the second (phase 0)
            assertThat(b.completion(0, 0)).isEqualTo(new Completion(1, 1, 0, 0, HostStatus.OK, 0, 0, 0));
            assertThat(b.completion(0, 1)).isEqualTo(new Completion(2, 2, 0, 0, HostStatus.OK, 0, 0, 0));
            assertThat(b.completion(0, 2)).isEqualTo(new Completion(2, 3, 0, 0, HostStatus.OK, 0, 0, 1));
            assertThat(b.completion(0, 3).phase()).isEqualTo(1);
        }
    }

    @Test
    void entriesThatBreakTheRulesCompleteInvalidWithoutRunning() {
        try (RingBench b = bench(1, 8)) {
            b.submit(0, 0, new byte[0]);                                             // no CDB
            b.submit(0, 1, TEST_UNIT_READY, Direction.NONE, 0, 512, 0, 0, 0);         // data without a direction
            b.submit(0, 2, READ_10, Direction.IN, 0, 512, 0, 0, 0);                   // data without a list
            long tiny = b.sgList(new long[] {b.memory.allocateContiguous(4096)}, new int[] {256});
            b.submit(0, 3, READ_10, Direction.IN, 0, 512, tiny, 1, 0);                // a list shorter than DATA_LENGTH
            b.ring(0);
            for (int i = 0; i < 4; i++) {
                assertThat(b.completion(0, i).host()).as("entry " + i).isEqualTo(HostStatus.INVALID);
                assertThat(b.completion(0, i).commandId()).isEqualTo(i);
            }
            assertThat(unit.seen()).isEmpty();
            assertThat(b.stat("commands")).isZero();
        }
    }

    @Test
    void driverErrorsStopTheDeviceWithTheirFatalCode() {
        try (RingBench b = bench(2, 4)) {
            b.write(RingRegister.SQ_TAIL, 0, 4); // a tail past the ring
            assertThat(Status.fatalCode(b.read(RingRegister.STATUS))).isEqualTo(FatalCode.BAD_DOORBELL);
        }
        try (RingBench b = bench(2, 4)) {
            b.write(RingRegister.SQ_TAIL, 2, 1); // a queue beyond NUM_QUEUES
            assertThat(Status.fatalCode(b.read(RingRegister.STATUS))).isEqualTo(FatalCode.BAD_DOORBELL);
        }
        LateUnit late = new LateUnit();
        try (RingBench b = new RingBench(ControllerOptions.inline(16), 1, 4, new AttachedUnit(0, 0, late)).enable()) {
            b.submit(0, 1, SANITIZE);
            b.submit(0, 1, TEST_UNIT_READY); // the same ID while the first is still pending
            b.ring(0);
            int status = b.read(RingRegister.STATUS);
            assertThat(status & Status.READY).isZero();
            assertThat(Status.fatalCode(status)).isEqualTo(FatalCode.BAD_COMMAND_ID);
        }
        try (RingBench b = bench(1, 2)) {
            b.submit(0, 0, TEST_UNIT_READY);
            b.ring(0);
            b.submit(0, 1, TEST_UNIT_READY); // the ring holds one entry the driver never consumed
            b.ring(0);
            assertThat(Status.fatalCode(b.read(RingRegister.STATUS))).isEqualTo(FatalCode.CQ_OVERFLOW);
        }
        try (RingBench b = new RingBench(ControllerOptions.inline(16), 1, 4)) {
            b.write(RingRegister.NUM_QUEUES, 1);
            b.write(RingRegister.SQ_BASE_LO, 0, (int) b.sqBase[0] + 8); // not 64-byte aligned
            b.write(RingRegister.SQ_BASE_HI, 0, (int) (b.sqBase[0] >>> 32));
            b.write(RingRegister.QUEUE_SIZE, 0, 4);
            b.write(RingRegister.CONTROL, Control.ENABLE);
            assertThat(Status.fatalCode(b.read(RingRegister.STATUS))).isEqualTo(FatalCode.BAD_CONFIG);
            b.write(RingRegister.CONTROL, Control.RESET); // only RESET recovers
            assertThat(b.read(RingRegister.STATUS)).isZero();
            assertThat(b.read(RingRegister.CONTROL)).as("RESET self-clears").isZero();
        }
    }

    @Test
    void abortAndLunResetCompleteHeldCommandsThroughTheirPairsAndTheLateAnswerIsDropped() throws Exception {
        LateUnit lun0 = new LateUnit();
        LateUnit lun1 = new LateUnit();
        try (RingBench b = new RingBench(ControllerOptions.inline(16), 2, 8, new AttachedUnit(0, 0, lun0),
                new AttachedUnit(0, 1, lun1)).enable()) {
            b.submit(0, 4, SANITIZE);
            b.ring(0);
            b.submit(1, 6, SANITIZE, Direction.NONE, 1, 0, 0, 0, 0);
            b.ring(1);
            Consumer<ScsiResult> done0 = lun0.pending.get(5, TimeUnit.SECONDS);
            lun1.pending.get(5, TimeUnit.SECONDS);
            assertThat(b.completion(0, 0).phase()).as("nothing posted while the units work").isZero();

            b.write(RingRegister.ABORT, Abort.encode(0, 4));
            assertThat(b.completion(0, 0)).isEqualTo(new Completion(4, 1, 0, 0, HostStatus.ABORTED, 0, 0, 1));
            b.write(RingRegister.ABORT, Abort.encode(0, 4)); // nothing pending there any more: no effect
            b.write(RingRegister.LUN_RESET, LunReset.encode(0, 1));
            assertThat(b.completion(1, 0)).isEqualTo(new Completion(6, 1, 0, 0, HostStatus.RESET, 0, 1, 1));
            assertThat(b.interrupts.messages()).containsExactly(10, 11);

            done0.accept(ScsiResult.good(0)); // the unit answers after all: dropped
            assertThat(b.completion(0, 1).phase()).isZero();
            assertThat(b.stat("aborts")).isEqualTo(1);
            assertThat(b.stat("completions")).isEqualTo(2);
        }
    }

    @Test
    void aLateAnswerIsPostedAndSignalledFromTheUnitsThread() throws Exception {
        LateUnit late = new LateUnit();
        try (RingBench b = new RingBench(ControllerOptions.inline(16), 1, 8, new AttachedUnit(0, 0, late)).enable()) {
            b.submit(0, 2, SANITIZE);
            b.ring(0);
            Consumer<ScsiResult> done = late.pending.get(5, TimeUnit.SECONDS);
            assertThat(b.interrupts.messages()).isEmpty();
            Thread unitThread = new Thread(() -> done.accept(ScsiResult.good(0)));
            unitThread.start();
            unitThread.join(5000);
            assertThat(b.interrupts.awaitMessage()).isEqualTo(10);
            assertThat(b.completion(0, 0)).isEqualTo(new Completion(2, 1, 0, 0, HostStatus.OK, 0, 0, 1));
        }
    }

    @Test
    void resetForgetsEveryCommandWithoutAnEntryAndALostCommandIsForgottenToo() throws Exception {
        LateUnit late = new LateUnit();
        ScriptedUnit losing = new ScriptedUnit().answer(c -> {
            throw new CommandLost("injected");
        });
        try (RingBench b = new RingBench(ControllerOptions.inline(16), 1, 8, new AttachedUnit(0, 0, late),
                new AttachedUnit(0, 1, losing), new AttachedUnit(0, 2, unit)).enable()) {
            b.submit(0, 0, SANITIZE);
            b.submit(0, 1, TEST_UNIT_READY, Direction.NONE, 1, 0, 0, 0, 0);
            b.ring(0);
            Consumer<ScsiResult> done = late.pending.get(5, TimeUnit.SECONDS);
            assertThat(b.stat("lost")).isEqualTo(1);
            b.submit(0, 1, TEST_UNIT_READY, Direction.NONE, 2, 0, 0, 0, 0); // the lost command's ID is free again in the device
            b.ring(0);
            assertThat(b.completion(0, 0).commandId()).isEqualTo(1);

            b.write(RingRegister.CONTROL, Control.RESET);
            assertThat(b.read(RingRegister.STATUS)).isZero();
            done.accept(ScsiResult.good(0));
            assertThat(b.completion(0, 1).phase()).as("no entry for what the reset forgot").isZero();
            b.write(RingRegister.SQ_TAIL, 0, 1); // not READY: dropped, not fatal
            assertThat(b.read(RingRegister.STATUS)).isZero();
        }
    }

    @Test
    void aThreadedControllerRunsCommandsAfterItsLatencyAndRaisesEachTouchedPairOnce() throws Exception {
        try (RingBench b = new RingBench(ControllerOptions.threaded(20_000, 16), 2, 8, new AttachedUnit(0, 0, unit)).enable()) {
            long start = System.nanoTime();
            for (int id = 0; id < 3; id++) {
                b.submit(1, id, TEST_UNIT_READY);
            }
            b.ring(1);
            assertThat(b.interrupts.awaitMessage()).isEqualTo(11);
            assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(TimeUnit.MICROSECONDS.toNanos(20_000));
            assertThat(b.completion(1, 2).commandId()).isEqualTo(2);
            Thread.sleep(50);
            assertThat(b.interrupts.messages()).as("one batch, one message").containsExactly(11);
        }
    }
}
