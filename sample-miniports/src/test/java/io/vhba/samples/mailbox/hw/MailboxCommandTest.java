package io.vhba.samples.mailbox.hw;

import static org.assertj.core.api.Assertions.assertThat;

import io.vhba.hw.AttachedUnit;
import io.vhba.hw.ControllerOptions;
import io.vhba.hw.DataDirection;
import io.vhba.hw.ScsiResult;
import io.vhba.miniport.scsi.AdditionalSense;
import io.vhba.miniport.scsi.SenseData;
import io.vhba.miniport.scsi.SenseKey;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** One command through a slot on an inline controller, byte by byte. */
class MailboxCommandTest {
    /** READ(10), LBA 0x12345678, 10 blocks. */
    static final byte[] READ_10 = {0x28, 0, 0x12, 0x34, 0x56, 0x78, 0, 0, 10, 0};
    /** WRITE(10), LBA 0x00000100, 10 blocks. */
    static final byte[] WRITE_10 = {0x2A, 0, 0, 0, 0x01, 0x00, 0, 0, 10, 0};
    static final byte[] TEST_UNIT_READY = {0, 0, 0, 0, 0, 0};

    private final ScriptedUnit unit = new ScriptedUnit();

    private ControllerBench bench() {
        return new ControllerBench(ControllerOptions.inline(8), 4, new AttachedUnit(0, 0, unit)).enable(true);
    }

    /** Three elements over three scattered pages: 512 bytes at the end of one page, a whole page, 512 bytes of another. */
    static long[][] threeElements(ControllerBench b) {
        long[] pages = b.memory.allocateScattered(3);
        return new long[][] {{pages[0] + 3584, pages[1], pages[2]}, {512, 4096, 512}};
    }

    static int[] lengths(long[][] sg) {
        return Arrays.stream(sg[1]).mapToInt(l -> (int) l).toArray();
    }

    @Test
    void readMovesDataInThroughAThreeElementListAndPostsTheCompletion() {
        try (ControllerBench b = bench()) {
            long[][] sg = threeElements(b);
            long list = b.sgList(sg[0], lengths(sg));
            byte[] data = ScriptedUnit.pattern(5120, 7);
            unit.answer(ScriptedUnit.readPattern(5120, 7));

            b.fillSlot(5, READ_10, SlotDirection.IN, 2, 0, 0, 5120, list, 3);
            b.ring(5);

            assertThat(unit.seen()).singleElement().satisfies(s -> {
                assertThat(s.cdb()).containsExactly(READ_10);
                assertThat(s.direction()).isEqualTo(DataDirection.IN);
                assertThat(s.bufferLength()).isEqualTo(5120);
                assertThat(s.taskAttribute()).isZero();
            });
            assertThat(b.memory.bytes(sg[0][0], 512)).containsExactly(Arrays.copyOfRange(data, 0, 512));
            assertThat(b.memory.bytes(sg[0][1], 4096)).containsExactly(Arrays.copyOfRange(data, 512, 4608));
            assertThat(b.memory.bytes(sg[0][2], 512)).containsExactly(Arrays.copyOfRange(data, 4608, 5120));
            assertThat(b.memory.bytes(sg[0][2] + 512, 16)).containsOnly(0); // nothing past the element
            assertThat(b.memory.bytes(sg[0][0] - 16, 16)).containsOnly(0);  // nor before it

            byte[] expected = new byte[40];
            expected[4] = 0x00; // TRANSFERRED = 5120 = 0x1400, little-endian
            expected[5] = 0x14;
            assertThat(b.completionArea(5)).containsExactly(expected);
            assertThat(b.cqEntry(2, 0)).containsExactly(5, 1);
            assertThat(b.cqEntry(2, 1)).containsExactly(0, 0);
            assertThat(b.interrupts.messages()).containsExactly(2);
        }
    }

    @Test
    void writeMovesDataOutThroughAThreeElementList() {
        try (ControllerBench b = bench()) {
            long[][] sg = threeElements(b);
            byte[] data = ScriptedUnit.pattern(5120, 99);
            b.memory.put(sg[0][0], Arrays.copyOfRange(data, 0, 512));
            b.memory.put(sg[0][1], Arrays.copyOfRange(data, 512, 4608));
            b.memory.put(sg[0][2], Arrays.copyOfRange(data, 4608, 5120));
            byte[] received = new byte[5120];
            unit.answer(c -> {
                // two reads of uneven size, the second starting inside the second element
                c.data().readDataOut(0, ByteBuffer.wrap(received, 0, 1000));
                c.data().readDataOut(1000, ByteBuffer.wrap(received, 1000, 4120));
                return ScsiResult.good(5120);
            });

            b.fillSlot(0, WRITE_10, SlotDirection.OUT, 1, 0, 0, 5120, b.sgList(sg[0], lengths(sg)), 3);
            b.ring(0);

            assertThat(received).containsExactly(data);
            assertThat(unit.seen().get(0).direction()).isEqualTo(DataDirection.OUT);
            assertThat(b.hostStatus(0)).isEqualTo(HostStatus.OK.code());
            assertThat(ByteBuffer.wrap(b.completionArea(0)).order(ByteOrder.LITTLE_ENDIAN).getInt(4)).isEqualTo(5120);
            assertThat(b.cqEntry(1, 0)).containsExactly(0, 1);
            assertThat(b.interrupts.messages()).containsExactly(1);
        }
    }

    @Test
    void checkConditionWritesStatusSenseAndTransferredCount() {
        try (ControllerBench b = bench()) {
            SenseData sense = SenseData.withInformation(SenseKey.MEDIUM_ERROR, AdditionalSense.UNRECOVERED_READ_ERROR, 0x12345679L);
            long page = b.memory.allocateContiguous(4096);
            unit.answer(c -> {
                c.data().writeDataIn(0, ByteBuffer.wrap(new byte[512]));
                return ScsiResult.checkCondition(sense, 512);
            });
            b.fillSlot(3, READ_10, SlotDirection.IN, 0, 0, 0, 4096, b.sgList(new long[] {page}, new int[] {4096}), 1);
            b.ring(3);

            byte[] expected = new byte[40];
            expected[0] = 0x02;        // SCSI_STATUS CHECK CONDITION
            expected[1] = 0x00;        // HOST_STATUS OK
            expected[2] = 18;          // SENSE_LENGTH
            expected[4] = 0x00;        // TRANSFERRED 512
            expected[5] = 0x02;
            System.arraycopy(sense.toBytes(), 0, expected, 8, 18);
            assertThat(b.completionArea(3)).containsExactly(expected);
            assertThat(Arrays.copyOfRange(expected, 8, 26)).containsExactly(
                    0xF0, 0, 0x03, 0x12, 0x34, 0x56, 0x79, 10, 0, 0, 0, 0, 0x11, 0x00, 0, 0, 0, 0);
        }
    }

    @Test
    void commandWithoutDataSeesAnEmptyBuffer() {
        try (ControllerBench b = bench()) {
            b.fillSlot(7, TEST_UNIT_READY, SlotDirection.NONE, 3, 0, 0, 0, 0, 0);
            b.ring(7);
            assertThat(unit.seen()).singleElement().satisfies(s -> {
                assertThat(s.cdb()).containsExactly(TEST_UNIT_READY);
                assertThat(s.direction()).isEqualTo(DataDirection.NONE);
                assertThat(s.bufferLength()).isZero();
            });
            assertThat(b.completionArea(7)).containsOnly(0);
            assertThat(b.cqEntry(3, 0)).containsExactly(7, 1);
        }
    }

    @Test
    void commandToAnAbsentLunGetsLogicalUnitNotSupported() {
        try (ControllerBench b = bench()) {
            b.fillSlot(0, TEST_UNIT_READY, SlotDirection.NONE, 0, 0, 5, 0, 0, 0);
            b.ring(0);
            byte[] area = b.completionArea(0);
            assertThat(area[0]).isEqualTo((byte) 0x02);
            assertThat(area[1]).isEqualTo((byte) HostStatus.OK.code());
            assertThat(area[8 + 2]).isEqualTo((byte) SenseKey.ILLEGAL_REQUEST.code());
            assertThat(area[8 + 12]).isEqualTo((byte) 0x25); // LOGICAL UNIT NOT SUPPORTED
            assertThat(unit.seen()).isEmpty();
        }
    }

    @Test
    void malformedCommandAreaCompletesInvalidWithoutReachingTheUnit() {
        try (ControllerBench b = bench()) {
            b.fillSlot(1, new byte[0], SlotDirection.NONE, 2, 0, 0, 0, 0, 0); // CDB_LENGTH 0
            b.ring(1);
            assertThat(b.hostStatus(1)).isEqualTo(HostStatus.INVALID.code());
            assertThat(b.cqEntry(2, 0)).containsExactly(1, 1);
            assertThat(b.interrupts.messages()).containsExactly(2);
            assertThat(unit.seen()).isEmpty();
        }
    }

    @Test
    void vectorBeyondNumVectorsCompletesInvalidOnVectorZero() {
        try (ControllerBench b = bench()) {
            b.fillSlot(1, TEST_UNIT_READY, SlotDirection.NONE, 4, 0, 0, 0, 0, 0);
            b.ring(1);
            assertThat(b.hostStatus(1)).isEqualTo(HostStatus.INVALID.code());
            assertThat(b.cqEntry(0, 0)).containsExactly(1, 1);
        }
    }

    @Test
    void scatterGatherListShorterThanDataLengthIsInvalid() {
        try (ControllerBench b = bench()) {
            long page = b.memory.allocateContiguous(4096);
            b.fillSlot(2, READ_10, SlotDirection.IN, 0, 0, 0, 5120, b.sgList(new long[] {page}, new int[] {4096}), 1);
            b.ring(2);
            assertThat(b.hostStatus(2)).isEqualTo(HostStatus.INVALID.code());
            assertThat(unit.seen()).isEmpty();
        }
    }

    @Test
    void dataInOnASlotAnnouncedAsDataOutIsInvalidAndTouchesNoMemory() {
        try (ControllerBench b = bench()) {
            long page = b.memory.allocateContiguous(4096);
            unit.answer(ScriptedUnit.readPattern(4096, 1));
            b.fillSlot(2, READ_10, SlotDirection.OUT, 0, 0, 0, 4096, b.sgList(new long[] {page}, new int[] {4096}), 1);
            b.ring(2);
            assertThat(b.hostStatus(2)).isEqualTo(HostStatus.INVALID.code());
            assertThat(b.memory.bytes(page, 4096)).containsOnly(0);
        }
    }

    @Test
    void aFailingUnitCompletesWithDeviceErrorInsteadOfWedgingTheSlot() {
        try (ControllerBench b = bench()) {
            unit.answer(c -> {
                throw new IllegalStateException("model bug");
            });
            b.fillSlot(0, TEST_UNIT_READY, SlotDirection.NONE, 0, 0, 0, 0, 0, 0);
            b.ring(0);
            assertThat(b.hostStatus(0)).isEqualTo(HostStatus.DEVICE_ERROR.code());
            assertThat(b.cqEntry(0, 0)).containsExactly(0, 1);
        }
    }

    @Test
    void phaseTagFlipsEachTimeTheQueueWraps() {
        try (ControllerBench b = new ControllerBench(ControllerOptions.inline(3), 1, new AttachedUnit(0, 0, unit)).enable(true)) {
            // depth 4: entries 0..3 carry phase 1 on the first lap, phase 0 on the second
            for (int i = 0; i < 6; i++) {
                int slot = i % 3;
                b.fillSlot(slot, TEST_UNIT_READY, SlotDirection.NONE, 0, 0, 0, 0, 0, 0);
                b.ring(slot);
                assertThat(b.cqEntry(0, i % 4)).as("command %d", i).containsExactly(slot, i < 4 ? 1 : 0);
                b.write(MailboxRegister.CQ_HEAD, 0, (i + 1) % 4);
            }
            assertThat(b.interrupts.messages()).containsExactly(0, 0, 0, 0, 0, 0);
        }
    }

    @Test
    void completionsBeforeCqHeadShareOneInterruptAndTheHeadWriteReRaises() {
        try (ControllerBench b = bench()) {
            b.fillSlot(0, TEST_UNIT_READY, SlotDirection.NONE, 1, 0, 0, 0, 0, 0);
            b.ring(0);
            b.fillSlot(1, TEST_UNIT_READY, SlotDirection.NONE, 1, 0, 0, 0, 0, 0);
            b.ring(1);
            assertThat(b.cqEntry(1, 0)).containsExactly(0, 1);
            assertThat(b.cqEntry(1, 1)).containsExactly(1, 1);
            assertThat(b.interrupts.messages()).containsExactly(1); // the vector disarmed after the first

            b.write(MailboxRegister.CQ_HEAD, 1, 1); // the ISR consumed only the first entry
            assertThat(b.interrupts.messages()).containsExactly(1, 1);

            b.write(MailboxRegister.CQ_HEAD, 1, 2); // now everything: re-armed, nothing to raise
            assertThat(b.interrupts.messages()).containsExactly(1, 1);
        }
    }

    @Test
    void maskedVectorHoldsItsMessageUntilUnmasked() {
        try (ControllerBench b = bench()) {
            b.write(MailboxRegister.INTR_MASK, 0b10);
            b.fillSlot(0, TEST_UNIT_READY, SlotDirection.NONE, 1, 0, 0, 0, 0, 0);
            b.ring(0);
            assertThat(b.cqEntry(1, 0)).containsExactly(0, 1);
            assertThat(b.interrupts.messages()).isEmpty();
            b.write(MailboxRegister.INTR_MASK, 0);
            assertThat(b.interrupts.messages()).containsExactly(1);
        }
    }

    @Test
    void ringingASlotThatIsStillPendingIsFatalBadDoorbell() {
        try (ControllerBench b = new ControllerBench(ControllerOptions.threaded(60_000_000, 4), 1,
                new AttachedUnit(0, 0, unit)).enable(true)) {
            b.fillSlot(0, TEST_UNIT_READY, SlotDirection.NONE, 0, 0, 0, 0, 0, 0);
            b.ring(0);
            b.ring(0);
            assertThat(MailboxRegister.Status.fatalCode(b.read(MailboxRegister.STATUS))).isEqualTo(FatalCode.BAD_DOORBELL);
            assertThat(b.stat("doorbells")).isEqualTo(1);
        }
    }

    @Test
    void countersAccountForEveryDoorbellCommandByteAndInterrupt() {
        try (ControllerBench b = bench()) {
            long[][] readSg = threeElements(b);
            long[][] writeSg = threeElements(b);
            unit.answer(c -> {
                if (c.direction() == DataDirection.IN) {
                    c.data().writeDataIn(0, ByteBuffer.wrap(new byte[5120]));
                } else {
                    c.data().readDataOut(0, ByteBuffer.allocate(5120));
                }
                return ScsiResult.good(5120);
            });
            b.fillSlot(0, READ_10, SlotDirection.IN, 0, 0, 0, 5120, b.sgList(readSg[0], lengths(readSg)), 3);
            b.ring(0);
            b.fillSlot(1, WRITE_10, SlotDirection.OUT, 1, 0, 0, 5120, b.sgList(writeSg[0], lengths(writeSg)), 3);
            b.ring(1);

            Map<String, Long> expected = new LinkedHashMap<>();
            expected.put("doorbells", 2L);
            expected.put("commands", 2L);
            expected.put("completions", 2L);
            expected.put("dmaBytesRead", 2L * 56 + 2L * 3 * 16 + 5120);  // command areas, SG lists, Data-Out
            expected.put("dmaBytesWritten", 5120L + 2L * 40 + 2L * 8);   // Data-In, completion areas, queue entries
            expected.put("dmaFaults", 0L);
            expected.put("interruptsSignalled", 2L);
            expected.put("aborts", 0L);
            expected.put("resets", 0L);
            expected.put("lost", 0L);
            assertThat(b.controller.statistics()).containsExactlyEntriesOf(expected);
        }
    }
}
