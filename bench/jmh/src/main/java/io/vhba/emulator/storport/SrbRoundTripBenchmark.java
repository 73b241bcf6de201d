package io.vhba.emulator.storport;

import io.vhba.emulator.kernel.Kernel;
import io.vhba.emulator.kernel.KernelViolationSink;
import io.vhba.emulator.platform.HostBuffer;
import io.vhba.emulator.platform.HostMemory;
import io.vhba.emulator.platform.MmioBus;
import io.vhba.emulator.verifier.StorportVerifier;
import io.vhba.miniport.SrbFlags;
import io.vhba.miniport.SrbStatus;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One SRB through the Storport engine and back, with the verifier on, over {@link NullMiniport}: allocate, prepare a
 * 4 KiB READ(16), submit, BuildIo/StartIo, RequestComplete, completion DPC, owner's callback, recycle. The requests
 * run on processor 0's own thread, as the network's do, {@value #BATCH} per invocation so that handing the batch to
 * that thread does not count.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class SrbRoundTripBenchmark {
    static final int BATCH = 1000;
    private static final byte[] READ16 = {(byte) 0x88, 0, 0, 0, 0, 0, 0, 0x10, 0, 0, 0, 0, 0, 8, 0, 0};

    private Kernel kernel;
    private Adapter adapter;
    private PortLogicalUnit lu;
    private HostBuffer buffer;
    private long completedOk;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        kernel = Kernel.boot(1, KernelViolationSink.THROWING);
        HostMemory memory = new HostMemory(64L << 20);
        StorportVerifier verifier = new StorportVerifier();
        verifier.setEnabled(true);
        StorportEngine engine = new StorportEngine(kernel, memory, new MmioBus(), verifier, EngineSettings.defaults());
        adapter = engine.startVirtualAdapter(engine.load(new NullMiniport()), List.of(), "null0").get(30, TimeUnit.SECONDS);
        lu = adapter.logicalUnit(0, 0, 0);
        if (lu == null) {
            throw new IllegalStateException("the bus scan found no LUN 0");
        }
        buffer = memory.allocate(4096);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        System.out.printf("%n[null0] %d SRBs submitted, %d HwStorStartIo calls, %d completed with SUCCESS; verifier on%n",
                adapter.counters().submitted(), adapter.counters().startIoCalls(), completedOk);
        kernel.close();
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long srbRoundTrip() throws Exception {
        CompletableFuture<Long> done = new CompletableFuture<>();
        kernel.processor(0).executor().execute(() -> {
            long ok = 0;
            long[] okBox = new long[1];
            for (int i = 0; i < BATCH; i++) {
                EngineSrb srb = adapter.allocateSrb();
                srb.prepareExecuteScsi(lu, READ16, 16, SrbFlags.DATA_IN, buffer, 4096, 10, 0x20, s -> {
                    if (s.portSrbStatus() == SrbStatus.SUCCESS) {
                        okBox[0]++;
                    }
                    s.recycle();
                }, null);
                adapter.submit(srb); // completes before it returns: the completion DPC runs when the IRQL drops
            }
            ok = okBox[0];
            done.complete(ok);
        });
        long ok = done.get(30, TimeUnit.SECONDS);
        if (ok != BATCH) {
            throw new IllegalStateException(ok + " of " + BATCH + " SRBs completed with SUCCESS in the batch");
        }
        completedOk += ok;
        return ok;
    }
}
