package io.vhba.samples.ring;

import static org.assertj.core.api.Assertions.assertThat;

import io.vhba.hw.AttachedUnit;
import io.vhba.hw.CommandLost;
import io.vhba.hw.ControllerOptions;
import io.vhba.hw.ScsiCommand;
import io.vhba.hw.ScsiLogicalUnit;
import io.vhba.hw.ScsiResult;
import io.vhba.miniport.FindAdapterStatus;
import io.vhba.miniport.InterruptSynchronizationMode;
import io.vhba.miniport.MemoryBuffer;
import io.vhba.miniport.ScsiAdapterControlStatus;
import io.vhba.miniport.ScsiAdapterControlType;
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
import io.vhba.samples.mailbox.hw.ScriptedUnit;
import io.vhba.samples.ring.hw.RingRegister.Status;
import java.nio.ByteBuffer;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** The ring miniport driving the real controller through a single-threaded Storport harness with four processors. */
class RingMiniportTest {
    private static final byte[] READ_10 = {0x28, 0, 0, 0, 0, 0x10, 0, 0, 10, 0};
    private static final byte[] WRITE_10 = {0x2A, 0, 0, 0, 0, 0x10, 0, 0, 16, 0};
    private static final byte[] TEST_UNIT_READY = new byte[6];
    private static final byte[] SANITIZE = {0x48, 0x02, 0, 0, 0, 0, 0, 0, 0, 0};

    private final ScriptedUnit unit = new ScriptedUnit();

    /** Holds every command it is given open until the test answers it. */
    private static final class LateUnit implements ScsiLogicalUnit {
        Consumer<ScsiResult> done;

        @Override
        public ScsiResult execute(ScsiCommand command) {
            throw new AssertionError("the controller starts commands");
        }

        @Override
        public void start(ScsiCommand command, Consumer<ScsiResult> d) {
            done = d;
        }
    }

    private RingPort port(ControllerOptions options, AttachedUnit... more) {
        AttachedUnit[] units = new AttachedUnit[more.length + 1];
        units[0] = new AttachedUnit(0, 0, unit);
        System.arraycopy(more, 0, units, 1, more.length);
        return new RingPort(4, options, units);
    }

    private RingPort started(ControllerOptions options, AttachedUnit... more) {
        RingPort port = port(options, more);
        assertThat(port.start(16)).isEqualTo(FindAdapterStatus.SP_RETURN_FOUND);
        return port;
    }


    @Test
    void bothHalvesAreFoundThroughServiceLoaderUnderTheSameHardwareId() {
        SampleTests.assertBothHalvesFound("ring", "PCI\\VEN_5648&DEV_0003");
    }

    @Test
    void startUpTakesAPairPerProcessorAndAsksForDpcRedirectionAndConcurrentChannels() {
        RingPort port = port(ControllerOptions.inline(256));
        port.messageTarget = m -> (m + 1) % 4; // the port aims message m at processor m + 1
        try (var c = new Detaching<>(port)) {
            assertThat(port.start(16)).isEqualTo(FindAdapterStatus.SP_RETURN_FOUND);
            assertThat(port.config.getSynchronizationMode()).isEqualTo(SynchronizationModel.FULL_DUPLEX);
            assertThat(port.config.getInterruptSynchronizationMode()).isEqualTo(InterruptSynchronizationMode.INTERRUPT_SYNCHRONIZE_PER_MESSAGE);
            assertThat(port.config.getMaxIosPerLun()).isEqualTo(255);
            assertThat(port.config.getMaximumTransferLength()).isEqualTo(1 << 20);
            assertThat(port.config.getNumberOfPhysicalBreaks()).isEqualTo(256);
            assertThat(port.data.srbExtensionSize()).isEqualTo(0x80 + 257 * 16);
            assertThat(port.dpcCount()).isEqualTo(4);
            assertThat(port.perfCalls).containsExactly("query", "set 0F channels=4 range=0-3");
            assertThat(port.ext.perfFlags).isEqualTo(0x0F);
            assertThat(port.ext.queueOfProcessor).as("each processor submits on the pair whose message comes back to it")
                    .containsExactly(3, 0, 1, 2);
            assertThat((int) port.bar0.get("STATUS")).isEqualTo(Status.READY);
            assertThat(port.bar0.get("NUM_QUEUES")).isEqualTo(4);
            for (int q = 0; q < 4; q++) {
                assertThat(port.bar0.get("QUEUE_SIZE[" + q + "]")).isEqualTo(256);
                assertThat(port.bar0.get("QUEUE_VECTOR[" + q + "]")).isEqualTo(q);
                assertThat(port.bar0.get("SQ_BASE_LO[" + q + "]") % 64).isZero();
                assertThat(port.bar0.get("SQ_BASE_HI[" + q + "]")).isEqualTo(1); // the harness's memory lives above 4 GiB
            }

            unit.answer(ScriptedUnit.readPattern(5120, 42));
            MemoryBuffer buffer = port.dataBuffer(3, 3584, 5120);
            FakeSrb srb = port.srb(READ_10, SrbFlags.DATA_IN, buffer, 5120);
            port.submit(srb, 1);
            assertThat(srb.completed).as("the DPC completes it, not StartIo").isFalse();
            port.pump();
            assertThat(port.interrupts.messages()).as("processor 1 -> pair 0 -> message 0").containsExactly(0);
            assertThat(srb.srbStatusByte).isEqualTo(SrbStatus.SUCCESS.code());
            assertThat(SampleTests.read(buffer, 0, 5120)).containsExactly(ScriptedUnit.pattern(5120, 42));
        }
    }

    @Test
    void eachProcessorSubmitsOnItsOwnPairWithoutTheStartIoLock() {
        try (var c = new Detaching<>(started(ControllerOptions.inline(256)))) {
            RingPort port = c.port;
            byte[] payload = ScriptedUnit.pattern(8192, 5);
            byte[] received = new byte[8192];
            unit.answer(cmd -> {
                assertThat(port.startIoLockHeld()).as("concurrent channels: no StartIo lock").isFalse();
                if (cmd.cdb()[0] == 0x2A) {
                    cmd.data().readDataOut(0, ByteBuffer.wrap(received));
                }
                return ScsiResult.good(cmd.data().length());
            });
            MemoryBuffer buffer = port.dataBuffer(3, 100, 8192);
            buffer.put(0, payload, 0, payload.length);
            FakeSrb write = port.srb(WRITE_10, SrbFlags.DATA_OUT, buffer, 8192);
            port.submit(write, 2);
            for (int cpu = 0; cpu < 4; cpu++) {
                port.submit(port.srb(TEST_UNIT_READY, 0, null, 0), cpu);
            }
            port.pump();
            assertThat(write.srbStatusByte).isEqualTo(SrbStatus.SUCCESS.code());
            assertThat(received).containsExactly(payload);
            assertThat(port.interrupts.messages()).containsExactlyInAnyOrder(0, 1, 2, 3);
            assertThat(port.completed).hasSize(5).allSatisfy(s -> assertThat(s.status()).isEqualTo(SrbStatus.SUCCESS));
            assertThat(port.controller.statistics()).containsEntry("sqDoorbells", 5L).containsEntry("submissions", 5L);
        }
    }

    @Test
    void completionsAreHarvestedInABatchByOneInterruptOneHeadWriteAndOneDpc() {
        try (var c = new Detaching<>(started(ControllerOptions.inline(256)))) {
            RingPort port = c.port;
            FakeSrb[] srbs = new FakeSrb[3];
            for (int i = 0; i < 3; i++) {
                srbs[i] = port.srb(TEST_UNIT_READY, 0, null, 0);
                port.submit(srbs[i], 0); // the ISR has not run between them
            }
            assertThat(port.interrupts.messages()).as("the vector stays disarmed until the head comes back").containsExactly(0);
            port.pump();
            assertThat(port.completed).containsExactly(srbs);
            assertThat(port.issued).as("one DPC queued").containsExactly(true);
            assertThat(port.controller.statistics()).containsEntry("completions", 3L).containsEntry("cqDoorbells", 1L)
                    .containsEntry("interruptsSignalled", 1L);
            assertThat(port.ext.queues[0].cqHead).isEqualTo(3);
        }
    }

    @Test
    void aFullPairAnswersBusySoThePortRequeues() {
        try (var c = new Detaching<>(started(ControllerOptions.inline(4)))) { // rings of 4: three commands outstanding
            RingPort port = c.port;
            FakeSrb[] srbs = new FakeSrb[4];
            for (int i = 0; i < 4; i++) {
                srbs[i] = port.srb(TEST_UNIT_READY, 0, null, 0);
                port.submit(srbs[i], 3);
            }
            assertThat(port.completed).containsExactly(srbs[3]);
            assertThat(srbs[3].status()).isEqualTo(SrbStatus.BUSY);
            port.pump();
            assertThat(port.completed).containsExactly(srbs[3], srbs[0], srbs[1], srbs[2]);
            FakeSrb again = port.srb(TEST_UNIT_READY, 0, null, 0);
            port.submit(again, 3); // the IDs came back with the DPC
            port.pump();
            assertThat(again.status()).isEqualTo(SrbStatus.SUCCESS);
        }
    }

    @Test
    void checkConditionBringsTheSenseTheDeviceWroteIntoTheSrbExtension() {
        try (var c = new Detaching<>(started(ControllerOptions.inline(256)))) {
            RingPort port = c.port;
            SenseData sense = SenseData.withInformation(SenseKey.MEDIUM_ERROR, AdditionalSense.UNRECOVERED_READ_ERROR, 0x10);
            unit.answer(cmd -> ScsiResult.checkCondition(sense));
            FakeSrb srb = port.srb(READ_10, SrbFlags.DATA_IN, port.dataBuffer(2, 0, 5120), 5120);
            port.submit(srb, 0);
            FakeSrb quiet = port.srb(TEST_UNIT_READY, SrbFlags.DISABLE_AUTOSENSE, null, 0);
            port.submit(quiet, 0);
            port.pump();
            assertThat(srb.srbStatusByte).isEqualTo(SrbStatus.ERROR.code() | SrbStatus.AUTOSENSE_VALID);
            assertThat(srb.scsiStatus).isEqualTo(0x02);
            assertThat(srb.senseInfoBufferLength).isEqualTo(18);
            assertThat(SampleTests.read(srb.senseInfoBuffer, 0, 18)).containsExactly(sense.toBytes());
            assertThat(srb.dataTransferLength).isZero();
            assertThat(quiet.srbStatusByte).as("autosense disabled: a plain error").isEqualTo(SrbStatus.ERROR.code());
            assertThat(quiet.senseInfoBufferLength).isEqualTo(32);
        }
    }

    @Test
    void aShortReadIsDataOverrunWithTheActualCount() {
        try (var c = new Detaching<>(started(ControllerOptions.inline(256)))) {
            RingPort port = c.port;
            unit.answer(ScriptedUnit.readPattern(1024, 0));
            FakeSrb srb = port.srb(READ_10, SrbFlags.DATA_IN, port.dataBuffer(1, 0, 4096), 4096);
            port.submit(srb, 1);
            port.pump();
            assertThat(srb.status()).isEqualTo(SrbStatus.DATA_OVERRUN);
            assertThat(srb.dataTransferLength).isEqualTo(1024);
        }
    }

    @Test
    void abortAndLunResetCompleteTheHeldRequestThroughItsPair() {
        LateUnit late = new LateUnit();
        try (var c = new Detaching<>(started(ControllerOptions.inline(256), new AttachedUnit(0, 1, late)))) {
            RingPort port = c.port;
            FakeSrb victim = port.srb(SANITIZE, 0, null, 0);
            victim.lun = 1;
            port.submit(victim, 1);
            port.pump();
            assertThat(victim.completed).isFalse();

            FakeSrb abort = port.srb(new byte[0], 0, null, 0);
            abort.function = SrbFunction.ABORT_COMMAND;
            abort.nextSrb = victim;
            port.submit(abort, 3); // from another processor: the abort finds the victim on pair 1
            assertThat(abort.status()).isEqualTo(SrbStatus.SUCCESS);
            port.pump();
            assertThat(victim.status()).isEqualTo(SrbStatus.ABORTED);
            late.done.accept(ScsiResult.good(0)); // too late: dropped
            port.pump();

            FakeSrb unknown = port.srb(new byte[0], 0, null, 0);
            unknown.function = SrbFunction.ABORT_COMMAND;
            unknown.nextSrb = victim;
            port.submit(unknown, 0);
            assertThat(unknown.status()).isEqualTo(SrbStatus.ABORT_FAILED);

            FakeSrb second = port.srb(SANITIZE, 0, null, 0);
            second.lun = 1;
            port.submit(second, 2);
            FakeSrb reset = port.srb(new byte[0], 0, null, 0);
            reset.function = SrbFunction.RESET_LOGICAL_UNIT;
            reset.lun = 1;
            port.submit(reset, 0);
            assertThat(reset.status()).isEqualTo(SrbStatus.SUCCESS);
            port.pump();
            assertThat(second.status()).isEqualTo(SrbStatus.BUS_RESET);
            assertThat(port.completed).containsExactly(abort, victim, unknown, reset, second);
        }
    }

    @Test
    void resetBusReturnsWhatTheDeviceLostAndLeavesHarvestedCompletionsToTheirDpc() {
        ScriptedUnit losing = new ScriptedUnit().answer(cmd -> {
            throw new CommandLost("injected");
        });
        try (var c = new Detaching<>(started(ControllerOptions.inline(256), new AttachedUnit(0, 1, losing)))) {
            RingPort port = c.port;
            FakeSrb lost = port.srb(TEST_UNIT_READY, 0, null, 0);
            lost.lun = 1;
            port.submit(lost, 2);
            FakeSrb done = port.srb(TEST_UNIT_READY, 0, null, 0);
            port.submit(done, 0);
            port.deliverInterrupts(); // pair 0's ISR harvests; its DPC has not run yet
            assertThat(port.completed).isEmpty();

            assertThat(port.resetBus()).isTrue();
            assertThat(port.completed).containsExactly(lost);
            assertThat(lost.status()).isEqualTo(SrbStatus.BUS_RESET);
            port.pump();
            assertThat(port.completed).containsExactly(lost, done);
            assertThat(done.status()).as("completed by the device before the reset").isEqualTo(SrbStatus.SUCCESS);
            assertThat((int) port.bar0.get("STATUS")).isEqualTo(Status.READY);

            for (int cpu = 0; cpu < 4; cpu++) {
                FakeSrb after = port.srb(TEST_UNIT_READY, 0, null, 0);
                port.submit(after, cpu);
                port.pump();
                assertThat(after.status()).as("pair %d works after the reset", cpu).isEqualTo(SrbStatus.SUCCESS);
            }
        }
    }

    @Test
    void withoutPerformanceOptimisationsTheDriverRunsUnderTheStartIoLock() {
        RingPort port = port(ControllerOptions.inline(256));
        port.offeredPerf = 0; // StorPortInitializePerfOpts: STOR_STATUS_NOT_IMPLEMENTED
        try (var c = new Detaching<>(port)) {
            assertThat(port.start(16)).isEqualTo(FindAdapterStatus.SP_RETURN_FOUND);
            assertThat(port.ext.perfFlags).isZero();
            assertThat(port.log).contains("ring: no DPC redirection offered; StartIo keeps the StartIo lock");
            unit.answer(cmd -> {
                assertThat(port.startIoLockHeld()).isTrue();
                return ScsiResult.good(0);
            });
            FakeSrb srb = port.srb(TEST_UNIT_READY, 0, null, 0);
            port.submit(srb, 3);
            port.pump();
            assertThat(srb.status()).isEqualTo(SrbStatus.SUCCESS);
        }
    }

    @Test
    void withFewerMessagesThanProcessorsProcessorsShareThePairs() {
        RingPort port = port(ControllerOptions.inline(256));
        try (var c = new Detaching<>(port)) {
            assertThat(port.start(2)).isEqualTo(FindAdapterStatus.SP_RETURN_FOUND);
            assertThat(port.ext.queues).hasSize(2);
            assertThat(port.perfCalls).containsExactly("query", "set 0F channels=2 range=0-1");
            for (int cpu = 0; cpu < 4; cpu++) {
                port.submit(port.srb(TEST_UNIT_READY, 0, null, 0), cpu);
            }
            port.pump();
            assertThat(port.interrupts.messages()).containsExactlyInAnyOrder(0, 1);
            assertThat(port.completed).hasSize(4);
        }
    }

    @Test
    void withoutMsiXMessagesFindAdapterReportsBadConfig() {
        try (var c = new Detaching<>(port(ControllerOptions.inline(4)))) {
            assertThat(c.port.start(0)).isEqualTo(FindAdapterStatus.SP_RETURN_BAD_CONFIG);
        }
    }

    @Test
    void adapterControlStopsAndRestartsTheController() {
        try (var c = new Detaching<>(started(ControllerOptions.inline(256)))) {
            RingPort port = c.port;
            var control = port.data.hwAdapterControl();
            assertThat(control.adapterControl(port.ext, ScsiAdapterControlType.SCSI_STOP_ADAPTER, null))
                    .isEqualTo(ScsiAdapterControlStatus.SCSI_ADAPTER_CONTROL_SUCCESS);
            assertThat((int) port.bar0.get("STATUS") & Status.READY).isZero();
            assertThat(control.adapterControl(port.ext, ScsiAdapterControlType.SCSI_RESTART_ADAPTER, null))
                    .isEqualTo(ScsiAdapterControlStatus.SCSI_ADAPTER_CONTROL_SUCCESS);
            FakeSrb srb = port.srb(TEST_UNIT_READY, 0, null, 0);
            port.submit(srb, 0);
            port.pump();
            assertThat(srb.status()).isEqualTo(SrbStatus.SUCCESS);
            assertThat(control.adapterControl(port.ext, ScsiAdapterControlType.SCSI_ADAPTER_POWER, null))
                    .isEqualTo(ScsiAdapterControlStatus.SCSI_ADAPTER_CONTROL_UNSUCCESSFUL);
        }
    }

    @Test
    void aThreadedControllerCompletesFromItsWorker() throws Exception {
        try (var c = new Detaching<>(started(ControllerOptions.threaded(1000, 256)))) {
            RingPort port = c.port;
            FakeSrb srb = port.srb(TEST_UNIT_READY, 0, null, 0);
            port.submit(srb, 2);
            assertThat(port.interrupts.awaitMessage()).isEqualTo(2);
            runIsr(port, 2);
            port.runDpcs();
            assertThat(srb.status()).isEqualTo(SrbStatus.SUCCESS);
        }
    }

    @SuppressWarnings("unchecked")
    private static void runIsr(RingPort port, int message) {
        var isr = (io.vhba.miniport.HwStorMessageSignaledInterruptRoutine<RingExtension>) port.config.getHwMSInterruptRoutine();
        port.acquireMsiSpinLock(port.ext, message);
        try {
            isr.messageSignaledInterrupt(port.ext, message);
        } finally {
            port.releaseMsiSpinLock(port.ext, message, 0);
        }
    }

    /** Detaches the controller (stopping a threaded worker) when a test ends. */}
