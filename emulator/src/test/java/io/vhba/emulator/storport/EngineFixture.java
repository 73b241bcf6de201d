package io.vhba.emulator.storport;

import io.vhba.emulator.kernel.Kernel;
import io.vhba.emulator.kernel.KernelViolationSink;
import io.vhba.emulator.platform.HostBuffer;
import io.vhba.emulator.platform.HostMemory;
import io.vhba.emulator.platform.MmioBus;
import io.vhba.emulator.platform.PciDevice;
import io.vhba.emulator.verifier.StorportVerifier;
import io.vhba.hw.AttachedUnit;
import io.vhba.miniport.SrbFlags;
import io.vhba.miniport.SrbStatus;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;

/**
 * An engine with {@link TestMiniport} on a {@link TestController} carrying two RAM LUNs (0 and
 * 1), for the Storport API tests. Subclasses call {@link #start} with the miniport and device
 * configured as they need.
 */
abstract class EngineFixture {
    Kernel kernel;
    HostMemory memory;
    StorportVerifier verifier;
    StorportEngine engine;
    TestController device;
    TestMiniport driver;
    Adapter adapter;
    final RamUnit lun0 = new RamUnit(256);
    final RamUnit lun1 = new RamUnit(256);

    void start(TestMiniport miniport, TestController controller) throws Exception {
        kernel = Kernel.boot(2, KernelViolationSink.THROWING);
        memory = new HostMemory(64L << 20);
        MmioBus mmio = new MmioBus();
        verifier = new StorportVerifier();
        engine = new StorportEngine(kernel, memory, mmio, verifier, EngineSettings.defaults());
        device = controller;
        PciDevice pci = PciDevice.plug(device, "pci0:3", mmio, memory, kernel,
                List.of(new AttachedUnit(0, 0, lun0), new AttachedUnit(0, 1, lun1)));
        driver = miniport;
        adapter = engine.startAdapter(engine.load(driver), pci, "test0").get(10, TimeUnit.SECONDS);
    }

    void start() throws Exception {
        start(new TestMiniport(), new TestController());
    }

    @AfterEach
    void stopKernel() {
        if (kernel != null) {
            kernel.close();
        }
    }

    TestMiniport.Ext ext() {
        return driver.extensions.get(0);
    }

    /** How a request came back, and on which processor its completion was delivered. */
    record Done(SrbStatus status, int transferred, int processor) {}

    /** READ(10) of one block at {@code lba} of {@code lun}. */
    CompletableFuture<Done> read(int lun, int lba) {
        return io(lun, 0x28, lba, memory.allocate(512));
    }

    CompletableFuture<Done> io(int lun, int opcode, int lba, HostBuffer buf) {
        return io(lun, opcode, lba, buf, 0);
    }

    /** As {@link #io(int, int, int, HostBuffer)}, submitted from processor {@code cpu}. */
    CompletableFuture<Done> io(int lun, int opcode, int lba, HostBuffer buf, int cpu) {
        CompletableFuture<Done> f = new CompletableFuture<>();
        byte[] cdb = new byte[10];
        cdb[0] = (byte) opcode;
        cdb[5] = (byte) lba;
        cdb[8] = 1;
        PortLogicalUnit lu = adapter.logicalUnit(0, 0, lun);
        kernel.processor(cpu).executor().execute(() -> {
            EngineSrb srb = adapter.allocateSrb();
            srb.prepareExecuteScsi(lu, cdb, 10, opcode == 0x28 ? SrbFlags.DATA_IN : SrbFlags.DATA_OUT, buf, 512, 10, 0x20,
                    s -> {
                        var p = kernel.currentProcessor();
                        f.complete(new Done(s.portSrbStatus(), s.portDataTransferLength(), p == null ? -1 : p.number()));
                        s.recycle();
                    }, null);
            adapter.submit(srb);
        });
        return f;
    }

    /** Waits (polling, bounded) for a state the engine reaches asynchronously. */
    static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(1);
        }
    }

    /** Runs {@code r} on processor 0 at PASSIVE_LEVEL and waits for it, as a miniport routine would be called. */
    <T> T onProcessor(java.util.concurrent.Callable<T> r) throws Exception {
        CompletableFuture<T> f = new CompletableFuture<>();
        kernel.processor(0).executor().execute(() -> {
            try {
                f.complete(r.call());
            } catch (Throwable t) {
                f.completeExceptionally(t);
            }
        });
        return f.get(5, TimeUnit.SECONDS);
    }
}
