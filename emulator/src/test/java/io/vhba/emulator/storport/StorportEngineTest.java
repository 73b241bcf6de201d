package io.vhba.emulator.storport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vhba.emulator.kernel.Kernel;
import io.vhba.emulator.kernel.KernelViolationSink;
import io.vhba.emulator.platform.HostBuffer;
import io.vhba.emulator.platform.HostMemory;
import io.vhba.emulator.platform.MmioBus;
import io.vhba.emulator.platform.PciDevice;
import io.vhba.emulator.verifier.BugCheck;
import io.vhba.emulator.verifier.StorportVerifier;
import io.vhba.emulator.verifier.VerifierRule;
import io.vhba.hw.AttachedUnit;
import io.vhba.miniport.NtStatus;
import io.vhba.miniport.SrbFlags;
import io.vhba.miniport.SrbStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class StorportEngineTest {
    private Kernel kernel;
    private HostMemory memory;
    private StorportVerifier verifier;
    private StorportEngine engine;
    private TestController device;
    private TestMiniport driver;
    private RamUnit unit;
    private Adapter adapter;

    @BeforeEach
    void start() throws Exception {
        kernel = Kernel.boot(2, KernelViolationSink.THROWING);
        memory = new HostMemory(64L << 20);
        MmioBus mmio = new MmioBus();
        verifier = new StorportVerifier();
        engine = new StorportEngine(kernel, memory, mmio, verifier, EngineSettings.defaults());
        device = new TestController();
        unit = new RamUnit(2048);
        PciDevice pci = PciDevice.plug(device, "pci0:3", mmio, memory, kernel, List.of(new AttachedUnit(0, 0, unit)));
        driver = new TestMiniport();
        adapter = engine.startAdapter(engine.load(driver), pci, "test0").get(10, TimeUnit.SECONDS);
    }

    @AfterEach
    void stop() {
        kernel.close();
    }

    private TestMiniport.Ext ext() {
        return driver.extensions.get(0);
    }

    private record Done(SrbStatus status, int transferred, int scsiStatus, byte[] sense) {}

    private CompletableFuture<Done> io(int opcode, long lba, int blocks, HostBuffer buf) {
        CompletableFuture<Done> f = new CompletableFuture<>();
        byte[] cdb = new byte[10];
        cdb[0] = (byte) opcode;
        cdb[2] = (byte) (lba >>> 24);
        cdb[3] = (byte) (lba >>> 16);
        cdb[4] = (byte) (lba >>> 8);
        cdb[5] = (byte) lba;
        cdb[8] = (byte) blocks;
        PortLogicalUnit lu = adapter.logicalUnit(0, 0, 0);
        kernel.processor(0).executor().execute(() -> {
            EngineSrb srb = adapter.allocateSrb();
            srb.prepareExecuteScsi(lu, cdb, 10, opcode == 0x28 ? SrbFlags.DATA_IN : SrbFlags.DATA_OUT, buf,
                    blocks * 512, 10, 0x20, s -> {
                        f.complete(new Done(s.portSrbStatus(), s.portDataTransferLength(), s.portScsiStatus(), s.portSense()));
                        s.recycle();
                    }, null);
            adapter.submit(srb);
        });
        return f;
    }

    @Test
    void theAdapterStartsInStorportOrderAndScansTheBus() {
        List<String> ev = ext().events;
        assertThat(ev.subList(0, 3)).containsExactly(
                "FindAdapter PASSIVE_LEVEL locks=0",
                "HwInitialize DIRQL(5) locks=1",
                "PassiveInitialize PASSIVE_LEVEL locks=0");
        assertThat(device.opcodesSeen).startsWith(0xA0, 0x12); // REPORT LUNS, then INQUIRY
        assertThat(adapter.logicalUnits()).extracting(PortLogicalUnit::address).containsExactly("0:0:0");
        assertThat(adapter.state()).isEqualTo(AdapterState.RUNNING);
    }

    @Test
    void aWriteAndReadGoThroughStartIoTheInterruptAndTheDpc() throws Exception {
        HostBuffer out = memory.allocate(8192);
        byte[] pattern = new byte[8192];
        for (int i = 0; i < pattern.length; i++) {
            pattern[i] = (byte) (i * 7 + 3);
        }
        out.put(0, pattern, 0, pattern.length);
        ext().events.clear();
        Done w = io(0x2A, 100, 16, out).get(5, TimeUnit.SECONDS);
        assertThat(w.status()).isEqualTo(SrbStatus.SUCCESS);
        assertThat(w.transferred()).isEqualTo(8192);
        assertThat(ext().events).containsExactly("StartIo DISPATCH_LEVEL locks=1", "ISR DIRQL(5) locks=1", "DPC DISPATCH_LEVEL locks=0");

        HostBuffer in = memory.allocate(8192);
        Done r = io(0x28, 100, 16, in).get(5, TimeUnit.SECONDS);
        assertThat(r.status()).isEqualTo(SrbStatus.SUCCESS);
        byte[] back = new byte[8192];
        in.get(0, back, 0, back.length);
        assertThat(back).isEqualTo(pattern);
        assertThat(adapter.counters().requestCompletes()).isGreaterThanOrEqualTo(4); // scan + 2 I/Os
        assertThat(adapter.interrupts().get(0).deliveredCount()).isGreaterThanOrEqualTo(4);
        out.release();
        in.release();
    }

    @Test
    void aMultiPageBufferGetsANonContiguousScatterGatherList() {
        HostBuffer b = memory.allocate(5 * HostMemory.PAGE_SIZE);
        SgList sg = new SgList(b, b.length());
        assertThat(sg.numberOfElements()).isGreaterThan(1);
        long total = 0;
        for (int i = 0; i < sg.numberOfElements(); i++) {
            total += sg.length(i);
        }
        assertThat(total).isEqualTo(b.length());
        b.release();
    }

    @Test
    void requestsCompletedOutOfOrderReachTheirOwnCallers() throws Exception {
        HostBuffer[] bufs = new HostBuffer[4];
        for (int i = 0; i < 4; i++) {
            bufs[i] = memory.allocate(512);
            byte[] p = new byte[512];
            java.util.Arrays.fill(p, (byte) (0x40 + i));
            bufs[i].put(0, p, 0, 512);
            assertThat(io(0x2A, i, 1, bufs[i]).get(5, TimeUnit.SECONDS).status()).isEqualTo(SrbStatus.SUCCESS);
        }
        device.holdCount = 4; // the device now answers the 4 reads last-in first-out
        List<CompletableFuture<Done>> reads = new ArrayList<>();
        HostBuffer[] in = new HostBuffer[4];
        for (int i = 0; i < 4; i++) {
            in[i] = memory.allocate(512);
            reads.add(io(0x28, i, 1, in[i]));
        }
        for (int i = 0; i < 4; i++) {
            assertThat(reads.get(i).get(5, TimeUnit.SECONDS).status()).isEqualTo(SrbStatus.SUCCESS);
            assertThat(in[i].getByte(0)).isEqualTo((byte) (0x40 + i));
            assertThat(in[i].getByte(511)).isEqualTo((byte) (0x40 + i));
        }
    }

    @Test
    void aBusyRequestIsReissuedThroughStartIo() throws Exception {
        ext().busyCount = 1;
        HostBuffer b = memory.allocate(512);
        Done d = io(0x28, 0, 1, b).get(5, TimeUnit.SECONDS);
        assertThat(d.status()).isEqualTo(SrbStatus.SUCCESS);
        assertThat(adapter.counters().busyRequeues()).isEqualTo(1);
    }

    @Test
    void runningOutOfMemoryInStartIoIsRetriedNotABugCheck() throws Exception {
        java.util.concurrent.atomic.AtomicInteger failures = new java.util.concurrent.atomic.AtomicInteger(1);
        driver.startIoHook = (e, srb) -> {
            if (failures.getAndDecrement() > 0) {
                throw new OutOfMemoryError("Java heap space (simulated)");
            }
        };
        HostBuffer b = memory.allocate(512);
        Done d = io(0x28, 0, 1, b).get(5, TimeUnit.SECONDS);
        assertThat(d.status()).isEqualTo(SrbStatus.SUCCESS);
        assertThat(adapter.counters().outOfMemory()).isEqualTo(1);
        assertThat(adapter.counters().busyRequeues()).isEqualTo(1);
        assertThat(verifier.bugChecks()).isEmpty();
        assertThat(adapter.state()).isEqualTo(AdapterState.RUNNING);
    }

    @Test
    void aCheckConditionCarriesAutosense() throws Exception {
        HostBuffer b = memory.allocate(512);
        Done d = io(0x28, 5000, 1, b).get(5, TimeUnit.SECONDS); // beyond the 2048 blocks
        assertThat(d.status()).isEqualTo(SrbStatus.ERROR);
        assertThat(d.scsiStatus()).isEqualTo(2);
        assertThat(d.sense()).hasSize(18);
        assertThat(d.sense()[2]).isEqualTo((byte) 5);
        assertThat(d.sense()[12]).isEqualTo((byte) 0x21);
    }

    @Test
    void completingTwiceIsBugCheck0xF1_0x2004AndStopsTheAdapter() throws Exception {
        ext().completeTwice = true;
        HostBuffer b = memory.allocate(512);
        Done first = io(0x28, 0, 1, b).get(5, TimeUnit.SECONDS);
        assertThat(first.status()).isEqualTo(SrbStatus.SUCCESS);
        BugCheck bc = verifier.awaitBugCheck(VerifierRule.DOUBLE_COMPLETION, 5, TimeUnit.SECONDS);
        assertThat(bc).isNotNull();
        assertThat(bc.code()).isEqualTo(0xF1);
        assertThat(bc.parameter1()).isEqualTo(0x2004);
        assertThat(bc.routine()).isEqualTo("test0 HwStorDpcRoutine");
        assertThat(bc.stacks()).isNotEmpty();
        assertThat(adapter.state()).isEqualTo(AdapterState.FAILED);
        Done after = io(0x28, 0, 1, b).get(5, TimeUnit.SECONDS);
        assertThat(after.status()).isEqualTo(SrbStatus.NO_HBA);
    }

    @Test
    void initializingADpcOutsidePassiveInitIsABugCheck() throws Exception {
        ext().initializeDpcInStartIo = true;
        io(0x28, 0, 1, memory.allocate(512));
        BugCheck bc = verifier.awaitBugCheck(VerifierRule.DPC_INITIALIZED_OUTSIDE_PASSIVE_INIT, 5, TimeUnit.SECONDS);
        assertThat(bc).isNotNull();
        assertThat(bc.routine()).isEqualTo("test0 HwStorStartIo");
    }

    @Test
    void storPortInitializeRefusesATableWithoutResetBus() {
        TestMiniport broken = new TestMiniport();
        broken.omitResetBus = true;
        assertThatThrownBy(() -> engine.load(broken))
                .isInstanceOf(DriverLoadException.class)
                .satisfies(e -> assertThat(((DriverLoadException) e).status()).isEqualTo(NtStatus.STATUS_REVISION_MISMATCH));
    }
}
