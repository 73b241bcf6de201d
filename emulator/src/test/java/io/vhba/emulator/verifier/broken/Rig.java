package io.vhba.emulator.verifier.broken;

import io.vhba.emulator.kernel.Kernel;
import io.vhba.emulator.kernel.KernelRule;
import io.vhba.emulator.kernel.KernelViolationSink;
import io.vhba.emulator.platform.HostBuffer;
import io.vhba.emulator.platform.HostMemory;
import io.vhba.emulator.platform.MmioBus;
import io.vhba.emulator.platform.PciDevice;
import io.vhba.emulator.storport.Adapter;
import io.vhba.emulator.storport.EngineSettings;
import io.vhba.emulator.storport.EngineSrb;
import io.vhba.emulator.storport.PortLogicalUnit;
import io.vhba.emulator.storport.StorportEngine;
import io.vhba.emulator.verifier.BugCheckException;
import io.vhba.emulator.verifier.StorportVerifier;
import io.vhba.emulator.verifier.VerifierPolicy;
import io.vhba.miniport.SrbFlags;
import io.vhba.miniport.SrbStatus;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * One broken miniport on a {@link LoopbackController}, started through the engine under the
 * given verifier policy. Records bug check exceptions that escape the engine: to the code
 * that submitted the I/O, or out of an ISR or DPC to the kernel's dispatcher.
 */
final class Rig implements AutoCloseable {
    final Kernel kernel;
    final HostMemory memory = new HostMemory(16L << 20);
    final StorportVerifier verifier = new StorportVerifier();
    final StorportEngine engine;
    final BrokenMiniport driver;
    final Adapter adapter;
    /** BugCheckExceptions that escaped the engine, wherever they surfaced. */
    final List<BugCheckException> escaped = new CopyOnWriteArrayList<>();
    /** Where each one surfaced: "submit", or the kernel's name of the ISR or DPC it came out of. */
    final List<String> escapedFrom = new CopyOnWriteArrayList<>();

    Rig(BrokenMiniport driver, VerifierPolicy policy) throws Exception {
        this.driver = driver;
        kernel = Kernel.boot(2, KernelViolationSink.THROWING);
        MmioBus mmio = new MmioBus();
        engine = new StorportEngine(kernel, memory, mmio, verifier, EngineSettings.defaults());
        kernel.setViolationSink(new KernelViolationSink() { // the verifier, noting what the engine let escape
            @Override
            public void violation(KernelRule rule, String detail) {
                verifier.violation(rule, detail);
            }

            @Override
            public void violation(KernelRule rule, long p2, long p3, long p4, String detail, Thread... involved) {
                verifier.violation(rule, p2, p3, p4, detail, involved);
            }

            @Override
            public void routineFailed(String routine, Throwable failure) {
                if (failure instanceof BugCheckException b) {
                    escaped.add(b);
                    escapedFrom.add(routine);
                }
                verifier.routineFailed(routine, failure);
            }
        });
        PciDevice pci = PciDevice.plug(new LoopbackController(), "pci0:5", mmio, memory, kernel, List.of());
        adapter = engine.startAdapter(engine.load(driver), pci, "broken0").get(10, TimeUnit.SECONDS);
        verifier.setPolicy(policy);
    }

    /** A READ(10) of one block to LUN 0, submitted on processor 0; completes with the SRB status the port returned. */
    CompletableFuture<SrbStatus> read() {
        CompletableFuture<SrbStatus> done = new CompletableFuture<>();
        byte[] cdb = {0x28, 0, 0, 0, 0, 0, 0, 0, 1, 0};
        PortLogicalUnit lu = adapter.logicalUnit(0, 0, 0);
        HostBuffer buf = memory.allocate(512);
        kernel.processor(0).executor().execute(() -> {
            EngineSrb srb = adapter.allocateSrb();
            srb.prepareExecuteScsi(lu, cdb, 10, SrbFlags.DATA_IN, buf, 512, 10, 0x20, s -> {
                done.complete(s.portSrbStatus());
                s.recycle();
            }, null);
            try {
                adapter.submit(srb);
            } catch (BugCheckException e) {
                escaped.add(e);
                escapedFrom.add("submit");
            }
        });
        return done;
    }

    /** Waits until the processors have run everything queued so far (ISRs, DPCs, completions). */
    void settle() {
        for (int i = 0; i < 3; i++) {
            kernel.flushQueuedDpcs();
        }
    }

    @Override
    public void close() {
        kernel.close();
    }
}
