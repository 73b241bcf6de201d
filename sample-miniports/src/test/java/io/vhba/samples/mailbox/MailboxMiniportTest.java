package io.vhba.samples.mailbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.vhba.hw.AttachedUnit;
import io.vhba.hw.ControllerOptions;
import io.vhba.hw.ScsiResult;
import io.vhba.miniport.FindAdapterStatus;
import io.vhba.miniport.InterruptSynchronizationMode;
import io.vhba.miniport.MemoryBuffer;
import io.vhba.miniport.ScsiAdapterControlStatus;
import io.vhba.miniport.ScsiAdapterControlType;
import io.vhba.miniport.ScsiSupportedControlTypeList;
import io.vhba.miniport.SrbFlags;
import io.vhba.miniport.SrbFunction;
import io.vhba.miniport.SrbStatus;
import io.vhba.miniport.SynchronizationModel;
import io.vhba.miniport.scsi.AdditionalSense;
import io.vhba.miniport.scsi.SenseData;
import io.vhba.miniport.scsi.SenseKey;
import io.vhba.samples.common.Detaching;
import io.vhba.samples.common.FakeSrb;
import io.vhba.samples.common.SampleTests;
import io.vhba.samples.mailbox.hw.MailboxRegister;
import io.vhba.samples.mailbox.hw.MailboxRegister.Status;
import io.vhba.samples.mailbox.hw.ScriptedUnit;
import java.nio.ByteBuffer;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The mailbox miniport driving the real controller through a single-threaded Storport harness. */
class MailboxMiniportTest {
    private static final byte[] READ_10 = {0x28, 0, 0, 0, 0, 0x10, 0, 0, 10, 0};
    private static final byte[] WRITE_10 = {0x2A, 0, 0, 0, 0, 0x10, 0, 0, 10, 0};
    private static final byte[] TEST_UNIT_READY = new byte[6];
    private static final long NEVER = 600_000_000L;

    private final ScriptedUnit unit = new ScriptedUnit();

    private FakeStorPort started(ControllerOptions options) {
        FakeStorPort port = new FakeStorPort(options, new AttachedUnit(0, 0, unit), new AttachedUnit(0, 1, new ScriptedUnit()));
        assertThat(port.start(4)).isEqualTo(FindAdapterStatus.SP_RETURN_FOUND);
        return port;
    }


    @Test
    void bothHalvesAreFoundThroughServiceLoaderUnderTheSameHardwareId() {
        SampleTests.assertBothHalvesFound("mailbox", "PCI\\VEN_5648&DEV_0001");
    }

    @Test
    void startUpStatesTheLimitsAndBringsTheControllerToReady() {
        try (var c = new Detaching<>(started(ControllerOptions.inline(32)))) {
            FakeStorPort port = c.port;
            assertThat(port.data.hwBuildIo()).isNotNull();
            assertThat(port.data.hwAdapterControl()).isNotNull();
            assertThat(port.data.hwInterrupt()).isNull();
            assertThat(port.data.srbExtensionSize()).isEqualTo(16 + 257 * 16);
            assertThat(port.config.getMaximumTransferLength()).isEqualTo(1 << 20);
            assertThat(port.config.getNumberOfPhysicalBreaks()).isEqualTo(256);
            assertThat(port.config.getSrbExtensionSize()).isEqualTo(16 + 257 * 16);
            assertThat(port.config.getSynchronizationMode()).isEqualTo(SynchronizationModel.FULL_DUPLEX);
            assertThat(port.config.getInterruptSynchronizationMode()).isEqualTo(InterruptSynchronizationMode.INTERRUPT_SYNCHRONIZE_PER_MESSAGE);
            assertThat(port.config.getHwMSInterruptRoutine()).isNotNull();
            assertThat(port.config.getMaximumNumberOfTargets()).isEqualTo(1);
            assertThat(port.config.getMaximumNumberOfLogicalUnits()).isEqualTo(2);
            assertThat(port.dpcCount()).isEqualTo(4);
            assertThat((int) port.bar0.get("STATUS")).isEqualTo(Status.READY);
            assertThat(port.bar0.get("NUM_SLOTS")).isEqualTo(32);
            assertThat(port.bar0.get("NUM_VECTORS")).isEqualTo(4);
            assertThat(port.bar0.get("CQ_DEPTH")).isEqualTo(33);
            assertThat(port.bar0.get("SLOT_BASE_HI")).isEqualTo(1); // the harness's memory lives above 4 GiB
        }
    }

    @Test
    void withoutMsiXMessagesFindAdapterReportsBadConfig() {
        try (var c = new Detaching<>(new FakeStorPort(ControllerOptions.inline(4), new AttachedUnit(0, 0, unit)))) {
            assertThat(c.port.start(0)).isEqualTo(FindAdapterStatus.SP_RETURN_BAD_CONFIG);
            assertThat(c.port.log).contains("mailbox: no MSI-X messages granted");
        }
    }

    @Test
    void readThroughThreeScatteredPagesCompletesWithTheUnitsData() {
        try (var c = new Detaching<>(started(ControllerOptions.inline(8)))) {
            FakeStorPort port = c.port;
            unit.answer(ScriptedUnit.readPattern(5120, 42));
            MemoryBuffer buffer = port.dataBuffer(3, 3584, 5120); // 512 + 4096 + 512 bytes
            FakeSrb srb = port.srb(READ_10, SrbFlags.DATA_IN, buffer, 5120);

            port.submit(srb, 2);
            assertThat(srb.completed).isFalse(); // the DPC completes it, not StartIo
            port.pump();

            assertThat(port.completed).containsExactly(srb);
            assertThat(srb.srbStatusByte).isEqualTo(SrbStatus.SUCCESS.code());
            assertThat(srb.scsiStatus).isZero();
            assertThat(srb.dataTransferLength).isEqualTo(5120);
            assertThat(SampleTests.read(buffer, 0, 5120)).containsExactly(ScriptedUnit.pattern(5120, 42));
            assertThat(port.interrupts.messages()).containsExactly(2); // processor 2 -> vector 2
            assertThat(unit.seen()).singleElement().satisfies(s -> assertThat(s.cdb()).containsExactly(READ_10));
            assertThat(port.ext.slotBitmap.isClaimed(0)).isFalse();
        }
    }

    @Test
    void writeHandsTheBufferToTheUnit() {
        try (var c = new Detaching<>(started(ControllerOptions.inline(8)))) {
            FakeStorPort port = c.port;
            byte[] payload = ScriptedUnit.pattern(8192, 5);
            byte[] received = new byte[8192];
            unit.answer(cmd -> {
                cmd.data().readDataOut(0, ByteBuffer.wrap(received));
                return ScsiResult.good(8192);
            });
            MemoryBuffer buffer = port.dataBuffer(3, 100, 8192);
            buffer.put(0, payload, 0, payload.length);
            FakeSrb srb = port.srb(WRITE_10, SrbFlags.DATA_OUT, buffer, 8192);
            port.submit(srb, 1);
            port.pump();
            assertThat(srb.srbStatusByte).isEqualTo(SrbStatus.SUCCESS.code());
            assertThat(received).containsExactly(payload);
        }
    }

    @Test
    void checkConditionBecomesErrorWithAutosense() {
        try (var c = new Detaching<>(started(ControllerOptions.inline(8)))) {
            FakeStorPort port = c.port;
            SenseData sense = SenseData.withInformation(SenseKey.MEDIUM_ERROR, AdditionalSense.UNRECOVERED_READ_ERROR, 0x10);
            unit.answer(cmd -> ScsiResult.checkCondition(sense));
            FakeSrb srb = port.srb(READ_10, SrbFlags.DATA_IN, port.dataBuffer(2, 0, 5120), 5120);
            port.submit(srb, 0);
            port.pump();
            assertThat(srb.srbStatusByte).isEqualTo(SrbStatus.ERROR.code() | SrbStatus.AUTOSENSE_VALID);
            assertThat(srb.scsiStatus).isEqualTo(0x02);
            assertThat(srb.senseInfoBufferLength).isEqualTo(18);
            assertThat(SampleTests.read(srb.senseInfoBuffer, 0, 18)).containsExactly(sense.toBytes());
            assertThat(srb.dataTransferLength).isZero();
        }
    }

    @Test
    void checkConditionWithAutosenseDisabledIsPlainError() {
        try (var c = new Detaching<>(started(ControllerOptions.inline(8)))) {
            FakeStorPort port = c.port;
            unit.answer(cmd -> ScsiResult.checkCondition(SenseData.of(SenseKey.NOT_READY,
                    AdditionalSense.LOGICAL_UNIT_NOT_READY_CAUSE_NOT_REPORTABLE)));
            FakeSrb srb = port.srb(TEST_UNIT_READY, SrbFlags.DISABLE_AUTOSENSE, null, 0);
            port.submit(srb, 0);
            port.pump();
            assertThat(srb.srbStatusByte).isEqualTo(SrbStatus.ERROR.code());
            assertThat(srb.scsiStatus).isEqualTo(0x02);
            assertThat(srb.senseInfoBufferLength).isEqualTo(32);
        }
    }

    @Test
    void shortReadIsDataOverrunWithTheActualCount() {
        try (var c = new Detaching<>(started(ControllerOptions.inline(8)))) {
            FakeStorPort port = c.port;
            unit.answer(ScriptedUnit.readPattern(1024, 0));
            FakeSrb srb = port.srb(READ_10, SrbFlags.DATA_IN, port.dataBuffer(1, 0, 4096), 4096);
            port.submit(srb, 0);
            port.pump();
            assertThat(srb.srbStatusByte).isEqualTo(SrbStatus.DATA_OVERRUN.code());
            assertThat(srb.dataTransferLength).isEqualTo(1024);
        }
    }

    @Test
    void fullControllerAnswersBusySoThePortRequeues() {
        try (var c = new Detaching<>(started(ControllerOptions.inline(2)))) {
            FakeStorPort port = c.port;
            FakeSrb a = port.srb(TEST_UNIT_READY, 0, null, 0);
            FakeSrb b = port.srb(TEST_UNIT_READY, 0, null, 0);
            FakeSrb third = port.srb(TEST_UNIT_READY, 0, null, 0);
            port.submit(a, 0);
            port.submit(b, 1);
            port.submit(third, 0); // both slots still held: their DPCs have not run
            assertThat(port.completed).containsExactly(third);
            assertThat(third.srbStatusByte).isEqualTo(SrbStatus.BUSY.code());
            port.pump();
            assertThat(port.completed).containsExactlyInAnyOrder(third, a, b);
            assertThat(a.srbStatusByte).isEqualTo(SrbStatus.SUCCESS.code());
        }
    }

    @Test
    void abortCommandAbortsTheVictimOrReportsAbortFailed() {
        try (var c = new Detaching<>(started(ControllerOptions.threaded(NEVER, 8)))) {
            FakeStorPort port = c.port;
            FakeSrb victim = port.srb(TEST_UNIT_READY, 0, null, 0);
            port.submit(victim, 3);
            FakeSrb abort = new FakeSrb();
            abort.function = SrbFunction.ABORT_COMMAND;
            abort.nextSrb = victim;
            port.submit(abort, 0);
            assertThat(abort.srbStatusByte).isEqualTo(SrbStatus.SUCCESS.code());
            port.pump();
            assertThat(victim.srbStatusByte).isEqualTo(SrbStatus.ABORTED.code());

            FakeSrb late = new FakeSrb();
            late.function = SrbFunction.ABORT_COMMAND;
            late.nextSrb = victim; // already completed: not ours any more
            port.submit(late, 0);
            assertThat(late.srbStatusByte).isEqualTo(SrbStatus.ABORT_FAILED.code());
            assertThat(port.completed).containsExactly(abort, victim, late);
        }
    }

    @Test
    void logicalUnitResetCompletesThatUnitsRequestsWithBusReset() {
        try (var c = new Detaching<>(started(ControllerOptions.threaded(NEVER, 8)))) {
            FakeStorPort port = c.port;
            FakeSrb onLun0 = port.srb(TEST_UNIT_READY, 0, null, 0);
            FakeSrb onLun1 = port.srb(TEST_UNIT_READY, 0, null, 0);
            onLun1.lun = 1;
            port.submit(onLun0, 0);
            port.submit(onLun1, 1);
            FakeSrb reset = new FakeSrb();
            reset.function = SrbFunction.RESET_LOGICAL_UNIT;
            reset.lun = 1;
            port.submit(reset, 0);
            port.pump();
            assertThat(reset.srbStatusByte).isEqualTo(SrbStatus.SUCCESS.code());
            assertThat(onLun1.srbStatusByte).isEqualTo(SrbStatus.BUS_RESET.code());
            assertThat(onLun0.completed).isFalse();

            FakeSrb deviceReset = new FakeSrb();
            deviceReset.function = SrbFunction.RESET_DEVICE;
            port.submit(deviceReset, 0);
            port.pump();
            assertThat(onLun0.srbStatusByte).isEqualTo(SrbStatus.BUS_RESET.code());
        }
    }

    @Test
    void resetBusCompletesEachOutstandingSrbOnceAndTheAdapterCarriesOn() {
        try (var c = new Detaching<>(started(ControllerOptions.inline(8)))) {
            FakeStorPort port = c.port;
            FakeSrb drained = port.srb(TEST_UNIT_READY, 0, null, 0);
            FakeSrb undrained = port.srb(TEST_UNIT_READY, 0, null, 0);
            port.submit(drained, 0);
            port.deliverInterrupts(); // its ISR ran, its DPC is queued but has not run
            port.submit(undrained, 1); // the device completed it; the message is still pending

            assertThat(port.resetBus()).isTrue();
            assertThat(port.completed).containsExactly(drained, undrained);
            assertThat(drained.srbStatusByte).isEqualTo(SrbStatus.BUS_RESET.code());
            assertThat(undrained.srbStatusByte).isEqualTo(SrbStatus.BUS_RESET.code());

            port.pump(); // the stale DPC and message find nothing to complete a second time
            assertThat(port.completed).hasSize(2);
            assertThat((int) port.bar0.get("STATUS")).isEqualTo(Status.READY);

            unit.answer(ScriptedUnit.readPattern(512, 9));
            FakeSrb after = port.srb(READ_10, SrbFlags.DATA_IN, port.dataBuffer(1, 0, 512), 512);
            port.submit(after, 1);
            port.pump();
            assertThat(after.srbStatusByte).isEqualTo(SrbStatus.SUCCESS.code());
            assertThat(SampleTests.read(after.dataBuffer, 0, 512)).containsExactly(ScriptedUnit.pattern(512, 9));
        }
    }

    @Test
    void afterResetBusAStaleDrainedEntryCannotCompleteTheRequestThatReusedItsSlot() {
        try (var c = new Detaching<>(started(ControllerOptions.threaded(NEVER, 8)))) {
            FakeStorPort port = c.port;
            FakeSrb first = port.srb(TEST_UNIT_READY, 0, null, 0);
            port.submit(first, 0);
            FakeSrb abort = new FakeSrb();
            abort.function = SrbFunction.ABORT_COMMAND;
            abort.nextSrb = first;
            port.submit(abort, 0);     // the device completes slot 0 ABORTED on vector 0
            port.deliverInterrupts();  // the ISR drains it; the DPC is queued

            port.resetBus();
            assertThat(first.srbStatusByte).isEqualTo(SrbStatus.BUS_RESET.code());

            FakeSrb reuser = port.srb(TEST_UNIT_READY, 0, null, 0);
            port.submit(reuser, 0);    // slot 0 again; the device holds it (it never finishes)
            port.runDpcs();            // the DPC queued before the reset runs now
            assertThat(reuser.completed).isFalse();
            assertThat(port.completed).containsExactly(abort, first);
        }
    }

    @Test
    void unsupportedFunctionsAreInvalidRequests() {
        try (var c = new Detaching<>(started(ControllerOptions.inline(8)))) {
            FakeSrb ioctl = new FakeSrb();
            ioctl.function = SrbFunction.IO_CONTROL;
            c.port.submit(ioctl, 0);
            assertThat(ioctl.srbStatusByte).isEqualTo(SrbStatus.INVALID_REQUEST.code());
        }
    }

    @Test
    void adapterControlListsItsTypesAndStopsAndRestartsTheController() {
        try (var c = new Detaching<>(started(ControllerOptions.inline(8)))) {
            FakeStorPort port = c.port;
            ScsiSupportedControlTypeList supported = new ScsiSupportedControlTypeList(ScsiAdapterControlType.values().length);
            assertThat(port.data.hwAdapterControl().adapterControl(port.ext,
                    ScsiAdapterControlType.SCSI_QUERY_SUPPORTED_CONTROL_TYPES, supported))
                    .isEqualTo(ScsiAdapterControlStatus.SCSI_ADAPTER_CONTROL_SUCCESS);
            assertThat(java.util.Arrays.stream(ScsiAdapterControlType.values()).filter(supported::isSupported)
                    .collect(Collectors.toList()))
                    .containsExactly(ScsiAdapterControlType.SCSI_QUERY_SUPPORTED_CONTROL_TYPES,
                            ScsiAdapterControlType.SCSI_STOP_ADAPTER, ScsiAdapterControlType.SCSI_RESTART_ADAPTER);

            assertThat(port.data.hwAdapterControl().adapterControl(port.ext, ScsiAdapterControlType.SCSI_STOP_ADAPTER, null))
                    .isEqualTo(ScsiAdapterControlStatus.SCSI_ADAPTER_CONTROL_SUCCESS);
            assertThat(port.bar0.get("STATUS")).isZero();
            assertThat(port.bar0.get(MailboxRegister.CONTROL.name())).isZero();

            assertThat(port.data.hwAdapterControl().adapterControl(port.ext, ScsiAdapterControlType.SCSI_RESTART_ADAPTER, null))
                    .isEqualTo(ScsiAdapterControlStatus.SCSI_ADAPTER_CONTROL_SUCCESS);
            FakeSrb srb = port.srb(TEST_UNIT_READY, 0, null, 0);
            port.submit(srb, 0);
            port.pump();
            assertThat(srb.srbStatusByte).isEqualTo(SrbStatus.SUCCESS.code());

            assertThat(port.data.hwAdapterControl().adapterControl(port.ext, ScsiAdapterControlType.SCSI_ADAPTER_POWER, null))
                    .isEqualTo(ScsiAdapterControlStatus.SCSI_ADAPTER_CONTROL_UNSUCCESSFUL);
        }
    }

    /** Detaches the controller (stopping a threaded worker) when a test ends. */}
