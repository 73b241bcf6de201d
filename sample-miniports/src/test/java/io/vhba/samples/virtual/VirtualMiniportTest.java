package io.vhba.samples.virtual;

import static org.assertj.core.api.Assertions.assertThat;

import io.vhba.hw.AttachedUnit;
import io.vhba.hw.DataDirection;
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
import io.vhba.samples.mailbox.hw.ScriptedUnit;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

/** The virtual miniport on a single-threaded Storport harness: no hardware, StartIo queues, its DPC completes. */
class VirtualMiniportTest {
    private static final byte[] READ_10 = {0x28, 0, 0, 0, 0, 0x10, 0, 0, 10, 0};
    private static final byte[] WRITE_10 = {0x2A, 0, 0, 0, 0, 0x10, 0, 0, 2, 0};
    private static final byte[] TEST_UNIT_READY = new byte[6];

    private final ScriptedUnit lun0 = new ScriptedUnit();
    private final ScriptedUnit lun3 = new ScriptedUnit();
    private final VirtualPort port = new VirtualPort();

    private VirtualPort started() {
        assertThat(port.start(new AttachedUnit(0, 0, lun0), new AttachedUnit(0, 3, lun3))).isEqualTo(FindAdapterStatus.SP_RETURN_FOUND);
        return port;
    }

    private static byte[] read(MemoryBuffer b, int n) {
        byte[] out = new byte[n];
        b.get(0, out, 0, n);
        return out;
    }

    @Test
    void itIsFoundByNameAndBindsToNoHardware() {
        MiniportDriver driver = ServiceLoader.load(MiniportDriver.class).stream().map(ServiceLoader.Provider::get)
                .filter(d -> d.name().equals("virtual")).findFirst().orElseThrow();
        assertThat(driver.hardwareIds()).isEmpty();
        assertThat(ServiceLoader.load(DeviceModelProvider.class).stream().map(ServiceLoader.Provider::get)
                .filter(p -> driver.hardwareIds().contains(p.hardwareId()))).isEmpty();
    }

    @Test
    void findAdapterTakesItsBackingFromBusInformationAndStatesTheLimits() {
        started();
        assertThat(port.data.isVirtual()).isTrue();
        assertThat(port.data.hwInterrupt()).isNull();
        assertThat(port.data.needPhysicalAddresses()).isFalse();
        assertThat(port.config.getMaximumTransferLength()).isEqualTo(1 << 20);
        assertThat(port.config.getNumberOfPhysicalBreaks()).isEqualTo(256);
        assertThat(port.config.getMaximumNumberOfTargets()).isEqualTo(1);
        assertThat(port.config.getMaximumNumberOfLogicalUnits()).isEqualTo(4);
        assertThat(port.config.getSynchronizationMode()).isEqualTo(SynchronizationModel.FULL_DUPLEX);
        assertThat(port.config.getHwMSInterruptRoutine()).isNull();
    }

    @Test
    void withoutABackingFindAdapterSaysNotFound() {
        assertThat(port.start("not a bus")).isEqualTo(FindAdapterStatus.SP_RETURN_NOT_FOUND);
        assertThat(port.log).singleElement().asString().startsWith("virtual: no backing");
    }

    @Test
    void startIoOnlyQueuesAndTheDpcRunsTheBackingAndCompletes() {
        started();
        lun0.answer(ScriptedUnit.readPattern(5120, 9));
        FakeSrb srb = port.srb(0, READ_10, SrbFlags.DATA_IN, 5120);

        port.startIo(srb);
        assertThat(srb.completed).isFalse();
        assertThat(lun0.seen()).isEmpty(); // nothing ran under the StartIo lock
        assertThat(port.queuedDpcs()).isEqualTo(1);

        assertThat(port.runQueuedDpcs()).isEqualTo(1);
        assertThat(port.completed).containsExactly(srb);
        assertThat(srb.srbStatusByte).isEqualTo(SrbStatus.SUCCESS.code());
        assertThat(read(srb.dataBuffer, 5120)).containsExactly(ScriptedUnit.pattern(5120, 9));
        assertThat(lun0.seen()).singleElement().satisfies(s -> {
            assertThat(s.cdb()).containsExactly(READ_10);
            assertThat(s.direction()).isEqualTo(DataDirection.IN);
        });
    }

    @Test
    void aWriteHandsTheSrbsBytesToTheBacking() {
        started();
        byte[] got = new byte[1024];
        lun3.answer(c -> {
            ByteBuffer b = ByteBuffer.wrap(got);
            c.data().readDataOut(0, b);
            return ScsiResult.good(1024);
        });
        FakeSrb srb = port.srb(3, WRITE_10, SrbFlags.DATA_OUT, 1024);
        byte[] pattern = ScriptedUnit.pattern(1024, 5);
        srb.dataBuffer.put(0, pattern, 0, 1024);
        port.startIo(srb);
        port.runQueuedDpcs();
        assertThat(got).containsExactly(pattern);
        assertThat(srb.status()).isEqualTo(SrbStatus.SUCCESS);
    }

    @Test
    void requestsQueuedBeforeTheDpcRunsShareOneDpc() {
        started();
        FakeSrb a = port.srb(0, TEST_UNIT_READY, 0, 0);
        FakeSrb b = port.srb(3, TEST_UNIT_READY, 0, 0);
        port.startIo(a);
        port.startIo(b);
        assertThat(port.issued).containsExactly(true, false); // the second IssueDpc found it queued
        assertThat(port.runQueuedDpcs()).isEqualTo(1);
        assertThat(port.completed).containsExactly(a, b);
    }

    @Test
    void oneDpcRunCompletesABatchAndQueuesItselfForTheRest() {
        started();
        List<FakeSrb> srbs = new ArrayList<>();
        for (int i = 0; i < VirtualIo.BATCH + 8; i++) {
            FakeSrb s = port.srb(0, TEST_UNIT_READY, 0, 0);
            srbs.add(s);
            port.startIo(s);
        }
        port.runQueuedDpcs();
        assertThat(port.completed).hasSize(VirtualIo.BATCH);
        assertThat(port.queuedDpcs()).isEqualTo(1);
        port.runQueuedDpcs();
        assertThat(port.completed).containsExactlyElementsOf(srbs);
        assertThat(port.queuedDpcs()).isZero();
    }

    @Test
    void statusRulesCheckConditionUnderrunAndAFailingBacking() {
        started();
        lun0.answer(c -> ScsiResult.checkCondition(SenseData.of(SenseKey.NOT_READY, AdditionalSense.MEDIUM_NOT_PRESENT)));
        FakeSrb check = port.srb(0, READ_10, SrbFlags.DATA_IN, 512);
        port.startIo(check);
        port.runQueuedDpcs();
        assertThat(check.srbStatusByte).isEqualTo(SrbStatus.ERROR.code() | SrbStatus.AUTOSENSE_VALID);
        assertThat(check.scsiStatus).isEqualTo(0x02);
        assertThat(read(check.senseInfoBuffer, 18)).containsExactly(SenseData.of(SenseKey.NOT_READY, AdditionalSense.MEDIUM_NOT_PRESENT).toBytes());
        assertThat(check.senseInfoBufferLength).isEqualTo(18);

        lun0.answer(ScriptedUnit.readPattern(100, 1));
        FakeSrb shortRead = port.srb(0, READ_10, SrbFlags.DATA_IN, 512);
        port.startIo(shortRead);
        port.runQueuedDpcs();
        assertThat(shortRead.status()).isEqualTo(SrbStatus.DATA_OVERRUN);
        assertThat(shortRead.dataTransferLength).isEqualTo(100);

        lun0.answer(c -> {
            throw new IllegalStateException("backing gone");
        });
        FakeSrb failed = port.srb(0, READ_10, SrbFlags.DATA_IN, 512);
        port.startIo(failed);
        port.runQueuedDpcs();
        assertThat(failed.status()).isEqualTo(SrbStatus.ERROR);
        assertThat(failed.dataTransferLength).isZero();
        assertThat(port.log).contains("logError 00001003/56490001");
    }

    @Test
    void aBackingThatMovesDataAgainstTheDirectionFailsTheRequest() {
        started();
        lun0.answer(ScriptedUnit.readPattern(512, 1)); // Data-In on a write
        FakeSrb srb = port.srb(0, WRITE_10, SrbFlags.DATA_OUT, 512);
        byte[] source = ScriptedUnit.pattern(512, 77);
        srb.dataBuffer.put(0, source, 0, 512);
        port.startIo(srb);
        port.runQueuedDpcs();
        assertThat(srb.status()).isEqualTo(SrbStatus.ERROR);
        assertThat(read(srb.dataBuffer, 512)).containsExactly(source); // the write's source is untouched
    }

    @Test
    void abortCompletesAQueuedVictimAndFailsForOneAlreadyRun() {
        started();
        FakeSrb victim = port.srb(0, TEST_UNIT_READY, 0, 0);
        port.startIo(victim);
        FakeSrb abort = new FakeSrb();
        abort.function = SrbFunction.ABORT_COMMAND;
        abort.nextSrb = victim;
        port.startIo(abort);
        assertThat(port.completed).containsExactly(victim, abort);
        assertThat(victim.status()).isEqualTo(SrbStatus.ABORTED);
        assertThat(abort.status()).isEqualTo(SrbStatus.SUCCESS);
        port.runQueuedDpcs();
        assertThat(lun0.seen()).isEmpty();

        FakeSrb done = port.srb(0, TEST_UNIT_READY, 0, 0);
        port.startIo(done);
        port.runQueuedDpcs();
        FakeSrb late = new FakeSrb();
        late.function = SrbFunction.ABORT_COMMAND;
        late.nextSrb = done;
        port.startIo(late);
        assertThat(late.status()).isEqualTo(SrbStatus.ABORT_FAILED);
    }

    @Test
    void aLunResetCompletesThatLunsQueuedRequestsOnly() {
        started();
        FakeSrb on0 = port.srb(0, TEST_UNIT_READY, 0, 0);
        FakeSrb on3 = port.srb(3, TEST_UNIT_READY, 0, 0);
        port.startIo(on0);
        port.startIo(on3);
        FakeSrb reset = new FakeSrb();
        reset.function = SrbFunction.RESET_LOGICAL_UNIT;
        reset.lun = 3;
        port.startIo(reset);
        assertThat(port.completed).containsExactly(on3, reset);
        assertThat(on3.status()).isEqualTo(SrbStatus.BUS_RESET);
        port.runQueuedDpcs();
        assertThat(on0.status()).isEqualTo(SrbStatus.SUCCESS);
        assertThat(lun3.seen()).isEmpty();
    }

    @Test
    void resetBusCompletesEverythingStillQueued() {
        started();
        FakeSrb a = port.srb(0, TEST_UNIT_READY, 0, 0);
        FakeSrb b = port.srb(3, READ_10, SrbFlags.DATA_IN, 512);
        port.startIo(a);
        port.startIo(b);
        assertThat(port.resetBus()).isTrue();
        assertThat(port.completed).containsExactly(a, b);
        assertThat(b.status()).isEqualTo(SrbStatus.BUS_RESET);
        port.runQueuedDpcs(); // the DPC finds nothing
        assertThat(port.completed).hasSize(2);
    }

    @Test
    void unsupportedFunctionsAreInvalidRequests() {
        started();
        FakeSrb flush = new FakeSrb();
        flush.function = SrbFunction.FLUSH;
        port.startIo(flush);
        assertThat(flush.status()).isEqualTo(SrbStatus.INVALID_REQUEST);
    }
}
