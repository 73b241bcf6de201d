package io.vhba.samples.halfduplex.hw;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vhba.hw.AttachedUnit;
import io.vhba.hw.ControllerOptions;
import io.vhba.hw.DataDirection;
import io.vhba.hw.RegisterAccessException;
import io.vhba.hw.RegisterFile;
import io.vhba.hw.ScsiResult;
import io.vhba.hw.Width;
import io.vhba.miniport.scsi.AdditionalSense;
import io.vhba.miniport.scsi.SenseData;
import io.vhba.miniport.scsi.SenseKey;
import io.vhba.samples.common.hw.SgEntry;
import io.vhba.samples.halfduplex.hw.HalfDuplexRegister.Control;
import io.vhba.samples.halfduplex.hw.HalfDuplexRegister.DoneTag;
import io.vhba.samples.halfduplex.hw.HalfDuplexRegister.IntrStatus;
import io.vhba.samples.halfduplex.hw.HalfDuplexRegister.Status;
import io.vhba.samples.mailbox.hw.FakeDeviceContext;
import io.vhba.samples.mailbox.hw.FakeHostMemory;
import io.vhba.samples.mailbox.hw.RecordingInterrupts;
import io.vhba.samples.mailbox.hw.ScriptedUnit;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The half-duplex controller through its registers, as a driver sees it: the datasheet's table and its side effects. */
class HalfDuplexControllerTest {
    private static final byte[] READ_10 = {0x28, 0, 0, 0, 0, 0x20, 0, 0, 2, 0};
    private static final long NEVER = 600_000_000L;

    private final FakeHostMemory memory = new FakeHostMemory(256);
    private final RecordingInterrupts line = new RecordingInterrupts();
    private final ScriptedUnit unit = new ScriptedUnit();
    private HalfDuplexController controller;
    private RegisterFile bar0;

    private void attach(ControllerOptions options) {
        controller = new HalfDuplexController(options);
        bar0 = controller.bars().get(0);
        controller.attach(new FakeDeviceContext(memory, line, List.of(new AttachedUnit(0, 0, unit), new AttachedUnit(0, 2, unit))));
        write(HalfDuplexRegister.CONTROL, Control.ENABLE | Control.INTR_ENABLE);
    }

    @AfterEach
    void detach() {
        if (controller != null) {
            controller.detach();
        }
    }

    private int read(HalfDuplexRegister r) {
        return (int) bar0.read(r.offset(), Width.DWORD);
    }

    private void write(HalfDuplexRegister r, int value) {
        bar0.write(r.offset(), Width.DWORD, value & 0xFFFF_FFFFL);
    }

    /** A command block for {@code cdb} on LUN 0; with {@code dataIn} > 0 a Data-In list over two scattered pages. */
    private long commandBlock(byte[] cdb, int dataIn, long[] pages) {
        long cb = memory.allocateContiguous(CommandBlock.SIZE + 2 * SgEntry.SIZE);
        memory.putByte(cb + CommandBlock.CDB_LENGTH, cdb.length);
        memory.putByte(cb + CommandBlock.DIRECTION, dataIn > 0 ? CommandBlock.DIRECTION_IN : CommandBlock.DIRECTION_NONE);
        memory.putInt(cb + CommandBlock.DATA_LENGTH, dataIn);
        memory.put(cb + CommandBlock.CDB, cdb);
        if (dataIn > 0) {
            long list = cb + CommandBlock.SIZE;
            for (int i = 0; i < pages.length; i++) {
                memory.putLong(list + i * 16L, pages[i]);
                memory.putInt(list + i * 16L + 8, Math.min(FakeHostMemory.PAGE, dataIn - i * FakeHostMemory.PAGE));
            }
            memory.putInt(cb + CommandBlock.SG_COUNT, pages.length);
            memory.putLong(cb + CommandBlock.SG_ADDRESS, list);
        }
        return cb;
    }

    private void submit(long cb, int tag) {
        write(HalfDuplexRegister.CB_ADDR_LO, (int) cb);
        write(HalfDuplexRegister.CB_ADDR_HI, (int) (cb >>> 32));
        write(HalfDuplexRegister.SUBMIT, tag);
    }

    @Test
    void theRegisterTableMatchesTheDatasheet() {
        attach(ControllerOptions.inline(32));
        assertThat(controller.hardwareId()).isEqualTo("PCI\\VEN_5648&DEV_0002");
        assertThat(controller.msixMessageCount()).isZero();
        assertThat(read(HalfDuplexRegister.VERSION)).isEqualTo(0x0001_0000);
        assertThat(read(HalfDuplexRegister.CAPS)).isEqualTo(32);
        assertThat(read(HalfDuplexRegister.SG_LIMIT)).isEqualTo(257);
        assertThat(read(HalfDuplexRegister.BUS_INFO)).isEqualTo(1 | 3 << 16); // target 0, LUNs up to 2
        assertThat(read(HalfDuplexRegister.STATUS)).isEqualTo(Status.READY);
        assertThat(read(HalfDuplexRegister.DONE_TAG)).isEqualTo(DoneTag.EMPTY);
        assertThat(bar0.registerAt(0x2C)).isNull();
        assertThatThrownBy(() -> write(HalfDuplexRegister.STATUS, 1)).isInstanceOf(RegisterAccessException.class);
        assertThatThrownBy(() -> read(HalfDuplexRegister.SUBMIT)).isInstanceOf(RegisterAccessException.class);
        assertThatThrownBy(() -> bar0.read(HalfDuplexRegister.INTR_STATUS.offset(), Width.BYTE)).isInstanceOf(RegisterAccessException.class);
        assertThat(new HalfDuplexController(ControllerOptions.inline(4096)).bars().get(0).get("CAPS")).isEqualTo(256);
    }

    @Test
    void aSubmittedReadMovesDataRaisesTheLineAndTheStatusReadAcknowledgesIt() {
        attach(ControllerOptions.inline(8));
        unit.answer(ScriptedUnit.readPattern(5000, 7));
        long[] pages = memory.allocateScattered(2);
        long cb = commandBlock(READ_10, 5000, pages);

        submit(cb, 5);

        assertThat(unit.seen()).singleElement().satisfies(s -> {
            assertThat(s.cdb()).containsExactly(READ_10);
            assertThat(s.direction()).isEqualTo(DataDirection.IN);
            assertThat(s.bufferLength()).isEqualTo(5000);
        });
        byte[] expected = ScriptedUnit.pattern(5000, 7);
        assertThat(memory.bytes(pages[0], 4096)).containsExactly(java.util.Arrays.copyOfRange(expected, 0, 4096));
        assertThat(memory.bytes(pages[1], 904)).containsExactly(java.util.Arrays.copyOfRange(expected, 4096, 5000));
        assertThat(memory.getByte(cb + CommandBlock.COMPLETION_CODE)).isEqualTo(CompletionCode.OK.code());
        assertThat(memory.getByte(cb + CommandBlock.SCSI_STATUS)).isZero();
        assertThat(memory.getInt(cb + CommandBlock.TRANSFERRED)).isEqualTo(5000);
        assertThat(line.events()).containsExactly("ASSERT");

        assertThat(read(HalfDuplexRegister.INTR_STATUS)).isEqualTo(IntrStatus.DONE);
        assertThat(line.events()).containsExactly("ASSERT", "DEASSERT"); // the read is the acknowledge
        assertThat(read(HalfDuplexRegister.INTR_STATUS)).isZero();       // and it cleared the cause
        assertThat(read(HalfDuplexRegister.DONE_TAG)).isEqualTo(5);
        assertThat(read(HalfDuplexRegister.DONE_TAG)).isEqualTo(DoneTag.EMPTY);
        assertThat(controller.statistics()).containsEntry("submits", 1L).containsEntry("completions", 1L)
                .containsEntry("lineAssertions", 1L).containsEntry("statusReads", 2L).containsEntry("emptyStatusReads", 1L);
    }

    @Test
    void completionsBeforeTheAcknowledgeShareOneAssertionAndQueueTheirTagsInOrder() {
        attach(ControllerOptions.inline(8));
        submit(commandBlock(new byte[6], 0, null), 3);
        submit(commandBlock(new byte[6], 0, null), 0);
        submit(commandBlock(new byte[6], 0, null), 7);
        assertThat(line.events()).containsExactly("ASSERT");
        assertThat(read(HalfDuplexRegister.INTR_STATUS)).isEqualTo(IntrStatus.DONE);
        assertThat(List.of(read(HalfDuplexRegister.DONE_TAG), read(HalfDuplexRegister.DONE_TAG), read(HalfDuplexRegister.DONE_TAG),
                read(HalfDuplexRegister.DONE_TAG))).containsExactly(3, 0, 7, DoneTag.EMPTY);
        assertThat(line.lineAsserted()).isFalse();
    }

    @Test
    void aStatusReadWithNoCauseReturnsZeroAndLeavesTheLineAlone() {
        attach(ControllerOptions.inline(8));
        assertThat(read(HalfDuplexRegister.INTR_STATUS)).isZero(); // another device's interrupt on a shared line
        assertThat(line.events()).isEmpty();
        assertThat(controller.statistics()).containsEntry("emptyStatusReads", 1L);
    }

    @Test
    void aCheckConditionComesBackWithItsSense() {
        attach(ControllerOptions.inline(8));
        unit.answer(c -> ScsiResult.checkCondition(SenseData.of(SenseKey.MEDIUM_ERROR, AdditionalSense.UNRECOVERED_READ_ERROR)));
        long cb = commandBlock(READ_10, 1024, memory.allocateScattered(1));
        submit(cb, 1);
        assertThat(memory.getByte(cb + CommandBlock.SCSI_STATUS)).isEqualTo(0x02);
        int senseLength = memory.getByte(cb + CommandBlock.SENSE_LENGTH);
        assertThat(senseLength).isEqualTo(18);
        assertThat(memory.bytes(cb + CommandBlock.SENSE, senseLength)).containsExactly(
                SenseData.of(SenseKey.MEDIUM_ERROR, AdditionalSense.UNRECOVERED_READ_ERROR).toBytes());
    }

    @Test
    void aCommandBlockThatBreaksTheRulesCompletesInvalid() {
        attach(ControllerOptions.inline(8));
        long cb = commandBlock(READ_10, 4096, memory.allocateScattered(1));
        memory.putByte(cb + CommandBlock.DIRECTION, CommandBlock.DIRECTION_OUT); // a read announced as Data-Out
        unit.answer(ScriptedUnit.readPattern(4096, 1));
        submit(cb, 0);
        assertThat(memory.getByte(cb + CommandBlock.COMPLETION_CODE)).isEqualTo(CompletionCode.INVALID.code());

        long empty = commandBlock(READ_10, 0, null);
        memory.putByte(empty + CommandBlock.CDB_LENGTH, 17);
        submit(empty, 1);
        assertThat(memory.getByte(empty + CommandBlock.COMPLETION_CODE)).isEqualTo(CompletionCode.INVALID.code());
        assertThat(unit.seen()).hasSize(1); // the first ran (and was caught moving data the wrong way); the second never did
    }

    @Test
    void submittingARunningOrOutOfRangeTagStopsTheControllerAndRaisesFatal() {
        attach(ControllerOptions.inline(4));
        submit(commandBlock(new byte[6], 0, null), 4);
        assertThat(read(HalfDuplexRegister.STATUS)).isEqualTo(Status.encode(false, FatalCode.BAD_SUBMIT));
        assertThat(Status.fatalCode(read(HalfDuplexRegister.STATUS))).isEqualTo(FatalCode.BAD_SUBMIT);
        assertThat(line.lineAsserted()).isTrue();
        assertThat(read(HalfDuplexRegister.INTR_STATUS)).isEqualTo(IntrStatus.FATAL);
        submit(commandBlock(new byte[6], 0, null), 0); // dropped: not READY
        assertThat(read(HalfDuplexRegister.DONE_TAG)).isEqualTo(DoneTag.EMPTY);

        write(HalfDuplexRegister.CONTROL, Control.RESET);
        assertThat(read(HalfDuplexRegister.STATUS)).isZero();
        write(HalfDuplexRegister.CONTROL, Control.ENABLE | Control.INTR_ENABLE);
        assertThat(read(HalfDuplexRegister.STATUS)).isEqualTo(Status.READY);
    }

    @Test
    void anUnreadableCommandBlockIsAFatalDmaFault() {
        attach(ControllerOptions.inline(4));
        submit(memory.unallocatedAddress(), 0);
        assertThat(Status.fatalCode(read(HalfDuplexRegister.STATUS))).isEqualTo(FatalCode.DMA_FAULT);
    }

    @Test
    void withInterruptsDisabledTheLineWaitsUntilTheyAreEnabled() {
        attach(ControllerOptions.inline(4));
        write(HalfDuplexRegister.CONTROL, Control.ENABLE);
        submit(commandBlock(new byte[6], 0, null), 2);
        assertThat(line.events()).isEmpty();
        write(HalfDuplexRegister.CONTROL, Control.ENABLE | Control.INTR_ENABLE);
        assertThat(line.events()).containsExactly("ASSERT");
    }

    @Test
    void resetDropsACommandStillScheduledAndDeassertsTheLine() {
        attach(ControllerOptions.threaded(NEVER, 4));
        submit(commandBlock(new byte[6], 0, null), 0); // never reaches the unit before the reset
        write(HalfDuplexRegister.CONTROL, Control.RESET);
        assertThat(controller.statistics()).containsEntry("submits", 1L).containsEntry("commands", 0L).containsEntry("resets", 1L);
        write(HalfDuplexRegister.CONTROL, Control.ENABLE | Control.INTR_ENABLE);
        submit(commandBlock(new byte[6], 0, null), 0); // tag 0 is free again: no BAD_SUBMIT
        assertThat(read(HalfDuplexRegister.STATUS)).isEqualTo(Status.READY);
        assertThat(unit.seen()).isEmpty();
        assertThat(line.events()).isEmpty();
    }
}
