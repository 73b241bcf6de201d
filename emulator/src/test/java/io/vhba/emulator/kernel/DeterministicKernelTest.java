package io.vhba.emulator.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.util.concurrent.Future;
import io.vhba.emulator.kernel.sched.DeterministicScheduler;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The kernel on simulated processors: the same seed gives the same cross-processor interleaving. */
@Timeout(60)
class DeterministicKernelTest {

    /**
     * Two processors each take a shared spin lock ten times and queue a DPC to the other processor while holding it;
     * the log is the order in which the critical sections and DPCs ran.
     */
    private static List<String> run(long seed) {
        DeterministicScheduler s = new DeterministicScheduler(seed, DeterministicScheduler.Source.CLOSED, null, "random", 1, 0);
        s.join("test", null);
        RecordingSink sink = new RecordingSink();
        Kernel kernel = Kernel.boot(2, sink, s);
        List<String> log = new ArrayList<>();
        KSpinLock lock = new KSpinLock("shared", Irql.DISPATCH_LEVEL, KSpinLock.RANK_NONE);
        List<Future<?>> done = new ArrayList<>();
        for (int cpu = 0; cpu < 2; cpu++) {
            int me = cpu;
            KDpc dpc = new KDpc("to" + (1 - me), (d, ctx, a1, a2) -> log.add("dpc" + a1 + "@cpu" + kernel.currentProcessor().number()), null);
            dpc.setTargetProcessor(1 - me);
            done.add(kernel.processor(me).executor().submit(() -> {
                for (int i = 0; i < 10; i++) {
                    int old = kernel.acquire(lock);
                    log.add("cpu" + me + ":" + i);
                    kernel.schedulingPoint(); // a service call inside the critical section
                    kernel.insertQueueDpc(dpc, me + "." + i, null);
                    kernel.release(lock, old);
                    kernel.schedulingPoint();
                }
            }));
        }
        for (Future<?> f : done) {
            kernel.await(f);
        }
        kernel.flushQueuedDpcs();
        assertThat(sink.violations).isEmpty();
        assertThat(s.monitorViolations()).isZero();
        kernel.close();
        s.leave();
        s.close();
        return log;
    }

    @Test
    void theSameSeedGivesTheSameInterleavingOfProcessors() {
        List<String> a = run(11);
        assertThat(a).isEqualTo(run(11));
        assertThat(a.stream().filter(e -> e.startsWith("cpu"))).hasSize(20);
        assertThat(a.stream().filter(e -> e.startsWith("dpc"))).isNotEmpty();
    }

    @Test
    void differentSeedsInterleaveTheProcessorsDifferently() {
        Set<List<String>> seen = new HashSet<>();
        for (long seed = 0; seed < 6; seed++) {
            seen.add(run(seed));
        }
        assertThat(seen).hasSizeGreaterThan(3);
    }

    @Test
    void timersRunOnVirtualTimeAndTheClockFollowsThem() {
        DeterministicScheduler s = new DeterministicScheduler(1, DeterministicScheduler.Source.CLOSED, null, "random", 1, 0);
        s.join("test", null);
        Kernel kernel = Kernel.boot(2, new RecordingSink(), s);
        long[] firedAt = new long[1];
        long start = kernel.nanoTime();
        var f = kernel.processor(0).executor().schedule(() -> firedAt[0] = kernel.nanoTime(), 90, TimeUnit.SECONDS);
        kernel.await(f);
        assertThat(firedAt[0] - start).isGreaterThanOrEqualTo(TimeUnit.SECONDS.toNanos(90));
        long t = kernel.nanoTime();
        kernel.await(kernel.processor(1).executor().submit(() -> kernel.stallExecution(250)));
        assertThat(kernel.nanoTime() - t).isGreaterThanOrEqualTo(250_000);
        kernel.close();
        s.leave();
        s.close();
    }
}
