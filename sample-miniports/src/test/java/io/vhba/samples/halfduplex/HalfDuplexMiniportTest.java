package io.vhba.samples.halfduplex;

import static org.assertj.core.api.Assertions.assertThat;

import io.vhba.hw.AttachedUnit;
import io.vhba.hw.ControllerOptions;
import io.vhba.hw.DeviceModelProvider;
import io.vhba.hw.ScsiResult;
import io.vhba.miniport.FindAdapterStatus;
import io.vhba.miniport.MemoryBuffer;
import io.vhba.miniport.MiniportDriver;
import io.vhba.miniport.SrbFlags;
import io.vhba.miniport.SrbFunction;
import io.vhba.miniport.SrbStatus;
import io.vhba.miniport.SynchronizationModel;
import io.vhba.miniport.scsi.AdditionalSense;
import io.vhba.miniport.scsi.SenseData;
import io.vhba.miniport.scsi.SenseKey;
import io.vhba.samples.common.FakeSrb;
import io.vhba.samples.halfduplex.hw.HalfDuplexRegister;
import io.vhba.samples.halfduplex.hw.HalfDuplexRegister.Status;
import io.vhba.samples.mailbox.hw.ScriptedUnit;
import java.nio.ByteBuffer;
import java.util.ServiceLoader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The halfduplex miniport driving the real controller through a single-threaded half-duplex Storport harness. */
class HalfDuplexMiniportTest {
    private static final byte[] READ_10 = {0x28, 0, 0, 0, 0, 0x10, 0, 0, 10, 0};
    private static final byte[] WRITE_10 = {0x2A, 0, 0, 0, 0, 0x10, 0, 0, 2, 0};
    private static final byte[] INQUIRY = {0x12, 0, 0, 0, 36, 0};
    private static final long NEVER = 600_000_000L;

    private final ScriptedUnit unit = new ScriptedUnit();
    private HalfDuplexPort port;

    private HalfDuplexPort started(ControllerOptions options) {
        port = new HalfDuplexPort(options, new AttachedUnit(0, 0, unit), new AttachedUnit(0, 1, new ScriptedUnit()));
        assertThat(port.start()).isEqualTo(FindAdapterStatus.SP_RETURN_FOUND);
        return port;
    }

    @AfterEach
    void detach() {
        if (port != null) {
            port.controller.detach();
        }
    }

    private static byte[] read(MemoryBuffer b, int n) {
        byte[] out = new byte[n];
        b.get(0, out, 0, n);
        return out;
    }

    /** A standard INQUIRY answer: peripheral qualifier 0, direct access, CMDQUE as given. */
    private static ScsiResult inquiry(ScriptedUnit u, boolean cmdQue, io.vhba.hw.ScsiCommand c) {
        byte[] b = new byte[36];
        b[2] = 6;
        b[3] = 2;
        b[4] = 31;
        b[7] = (byte) (cmdQue ? 0x02 : 0);
        c.data().writeDataIn(0, ByteBuffer.wrap(b));
        return ScsiResult.good(36);
    }

    @Test
    void driverAndControllerAreFoundThroughServiceLoaderUnderTheSameHardwareId() {
        MiniportDriver driver = ServiceLoader.load(MiniportDriver.class).stream().map(ServiceLoader.Provider::get)
                .filter(d -> d.name().equals("halfduplex")).findFirst().orElseThrow();
        DeviceModelProvider device = ServiceLoader.load(DeviceModelProvider.class).stream().map(ServiceLoader.Provider::get)
                .filter(p -> driver.hardwareIds().contains(p.hardwareId())).findFirst().orElseThrow();
        assertThat(driver.hardwareIds()).containsExactly("PCI\\VEN_5648&DEV_0002");
        assertThat(device.create(ControllerOptions.inline(4)).msixMessageCount()).isZero();
    }

    @Test
    void startUpChoosesHalfDuplexALineIsrAndAConservativeQueueDepth() {
        started(ControllerOptions.inline(32));
        assertThat(port.data.hwInterrupt()).isNotNull();
        assertThat(port.config.getHwMSInterruptRoutine()).isNull();
        assertThat(port.config.getSynchronizationMode()).isEqualTo(SynchronizationModel.HALF_DUPLEX);
        assertThat(port.config.getInitialLunQueueDepth()).isEqualTo(1);
        assertThat(port.config.getMaxIosPerLun()).isEqualTo(32);
        assertThat(port.config.getMaximumTransferLength()).isEqualTo(1 << 20);
        assertThat(port.config.getNumberOfPhysicalBreaks()).isEqualTo(256);
        assertThat(port.config.getSrbExtensionSize()).isEqualTo(0x58 + 257 * 16);
        assertThat(port.config.getMaximumNumberOfLogicalUnits()).isEqualTo(2);
        assertThat((int) port.bar0.get("STATUS")).isEqualTo(Status.READY);
        assertThat(port.bar0.get("CONTROL")).isEqualTo(0b101); // ENABLE | INTR_ENABLE
    }

    @Test
    void aReadCompletesFromTheIsrNotFromStartIo() {
        started(ControllerOptions.inline(8));
        unit.answer(ScriptedUnit.readPattern(5120, 42));
        MemoryBuffer buffer = port.dataBuffer(3, 3584, 5120);
        FakeSrb srb = port.srb(READ_10, SrbFlags.DATA_IN, buffer, 5120);

        port.startIo(srb);
        assertThat(srb.completed).isFalse(); // StartIo only handed the command block over
        assertThat(port.line.lineAsserted()).isTrue();
        port.pump();

        assertThat(port.completed).containsExactly(srb);
        assertThat(port.isrReturns).containsExactly(true);
        assertThat(srb.srbStatusByte).isEqualTo(SrbStatus.SUCCESS.code());
        assertThat(srb.dataTransferLength).isEqualTo(5120);
        assertThat(read(buffer, 5120)).containsExactly(ScriptedUnit.pattern(5120, 42));
        assertThat(port.line.lineAsserted()).isFalse(); // the INTR_STATUS read acknowledged it
        assertThat(port.ext.freeCount).isEqualTo(8);
    }

    @Test
    void onASharedLineTheIsrReturnsFalseWhenItsDeviceDidNotInterrupt() {
        started(ControllerOptions.inline(8));
        assertThat(port.isr()).isFalse(); // another device's interrupt: INTR_STATUS read 0
        assertThat(port.controller.statistics()).containsEntry("emptyStatusReads", 1L);

        port.startIo(port.srb(new byte[6], 0, null, 0));
        assertThat(port.isr()).isTrue();  // ours: acknowledged and drained
        assertThat(port.isr()).isFalse(); // nothing left: a second device's turn
        assertThat(port.completed).singleElement().satisfies(s -> assertThat(s.status()).isEqualTo(SrbStatus.SUCCESS));
    }

    @Test
    void completionsThatArriveBeforeTheIsrAreAllDrainedByOnePass() {
        started(ControllerOptions.inline(8));
        FakeSrb a = port.srb(new byte[6], 0, null, 0);
        FakeSrb b = port.srb(WRITE_10, SrbFlags.DATA_OUT, port.dataBuffer(1, 0, 1024), 1024);
        port.startIo(a);
        port.startIo(b);
        assertThat(port.isr()).isTrue();
        assertThat(port.completed).containsExactly(a, b);
        assertThat(port.line.lineAsserted()).isFalse();
        assertThat(unit.seen()).extracting(ScriptedUnit.Seen::bufferLength).containsExactly(0, 1024);
    }

    @Test
    void aCheckConditionIsCompletedWithAutosense() {
        started(ControllerOptions.inline(8));
        unit.answer(c -> ScsiResult.checkCondition(SenseData.of(SenseKey.MEDIUM_ERROR, AdditionalSense.UNRECOVERED_READ_ERROR)));
        FakeSrb srb = port.srb(READ_10, SrbFlags.DATA_IN, port.dataBuffer(2, 0, 5120), 5120);
        port.submit(srb);
        assertThat(srb.srbStatusByte).isEqualTo(SrbStatus.ERROR.code() | SrbStatus.AUTOSENSE_VALID);
        assertThat(srb.scsiStatus).isEqualTo(0x02);
        assertThat(srb.senseInfoBufferLength).isEqualTo(18);
        assertThat(read(srb.senseInfoBuffer, 18))
                .containsExactly(SenseData.of(SenseKey.MEDIUM_ERROR, AdditionalSense.UNRECOVERED_READ_ERROR).toBytes());
        assertThat(srb.dataTransferLength).isZero();
    }

    @Test
    void theQueueDepthIsRaisedFromADpcOnceThePortHasSeenTheInquiry() {
        started(ControllerOptions.inline(16));
        unit.answer(c -> inquiry(unit, true, c));
        port.submit(port.srb(INQUIRY, SrbFlags.DATA_IN, port.dataBuffer(1, 0, 36), 36));
        assertThat(port.queueDepth).isEmpty(); // the DPC ran, but the port had not finished with the INQUIRY

        port.inquirySeen.add("0:0");
        unit.answer(c -> ScsiResult.good(0));
        port.submit(port.srb(new byte[6], 0, null, 0)); // the LUN's next completion queues the DPC again
        assertThat(port.queueDepth).containsExactly(java.util.Map.entry("0:0", 16));

        port.submit(port.srb(new byte[6], 0, null, 0));
        assertThat(port.queueDepth).hasSize(1); // applied once
    }

    @Test
    void aUnitWithoutCommandQueuingStaysAtDepthOne() {
        started(ControllerOptions.inline(16));
        port.inquirySeen.add("0:0");
        unit.answer(c -> inquiry(unit, false, c));
        port.submit(port.srb(INQUIRY, SrbFlags.DATA_IN, port.dataBuffer(1, 0, 36), 36));
        assertThat(port.queueDepth).containsExactly(java.util.Map.entry("0:0", 1));
    }

    @Test
    void withEveryTagTakenStartIoAnswersBusy() {
        started(ControllerOptions.threaded(NEVER, 2));
        FakeSrb a = port.srb(new byte[6], 0, null, 0);
        FakeSrb b = port.srb(new byte[6], 0, null, 0);
        FakeSrb c = port.srb(new byte[6], 0, null, 0);
        port.startIo(a);
        port.startIo(b);
        port.startIo(c);
        assertThat(port.completed).containsExactly(c);
        assertThat(c.status()).isEqualTo(SrbStatus.BUSY);
    }

    @Test
    void resetBusCompletesWhatTheControllerHeldWithBusReset() {
        started(ControllerOptions.threaded(NEVER, 4));
        FakeSrb a = port.srb(READ_10, SrbFlags.DATA_IN, port.dataBuffer(2, 0, 5120), 5120);
        FakeSrb b = port.srb(new byte[6], 0, null, 0);
        port.startIo(a);
        port.startIo(b);
        assertThat(port.resetBus()).isTrue();
        assertThat(port.completed).containsExactly(a, b);
        assertThat(a.status()).isEqualTo(SrbStatus.BUS_RESET);
        assertThat(b.status()).isEqualTo(SrbStatus.BUS_RESET);
        assertThat(port.ext.freeCount).isEqualTo(4);
        assertThat((int) port.bar0.get("STATUS")).isEqualTo(Status.READY);
        assertThat(port.controller.statistics()).containsEntry("commands", 0L).containsEntry("resets", 1L);
    }

    @Test
    void aBidirectionalRequestIsRefusedInBuildIo() {
        started(ControllerOptions.inline(4));
        FakeSrb srb = port.srb(READ_10, SrbFlags.UNSPECIFIED_DIRECTION, port.dataBuffer(1, 0, 512), 512);
        port.submit(srb);
        assertThat(srb.status()).isEqualTo(SrbStatus.INVALID_REQUEST);
        assertThat(unit.seen()).isEmpty();
        assertThat(port.controller.statistics()).containsEntry("submits", 0L);
    }

    @Test
    void aControllerThatStoppedIsReportedByTheIsrAndRecoveredByResetBus() {
        started(ControllerOptions.inline(4));
        port.bar0.write(HalfDuplexRegister.SUBMIT.offset(), io.vhba.hw.Width.DWORD, 9); // SUBMIT of a tag >= TAGS: FATAL/BAD_SUBMIT raises the line
        assertThat(port.isr()).isTrue();
        assertThat(port.log).contains("logError 00001002/48440002", "halfduplex: controller stopped, STATUS 00000102 (BAD_SUBMIT)");
        assertThat(port.line.lineAsserted()).isFalse();
        assertThat(port.resetBus()).isTrue();
        assertThat((int) port.bar0.get("STATUS")).isEqualTo(Status.READY);
        FakeSrb srb = port.srb(new byte[6], 0, null, 0);
        port.submit(srb);
        assertThat(srb.status()).isEqualTo(SrbStatus.SUCCESS);
    }

    @Test
    void functionsOtherThanExecuteScsiAreInvalidRequests() {
        started(ControllerOptions.inline(4));
        FakeSrb srb = new FakeSrb();
        srb.function = SrbFunction.RESET_LOGICAL_UNIT;
        port.submit(srb);
        assertThat(srb.status()).isEqualTo(SrbStatus.INVALID_REQUEST);
    }
}
