package io.vhba.emulator.kernel;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The simulated processors' meters, one set per processor ({@code processor} tag):
 * <ul>
 *   <li>{@code vhba.kernel.interrupts} and {@code vhba.kernel.dpcs}: ISRs and DPCs run, read from the counters
 *       the dispatcher keeps anyway (nothing is added to the hot path);</li>
 *   <li>{@code vhba.kernel.dpc.queue.depth}: DPCs waiting in the processor's queue, read at scrape time;</li>
 *   <li>{@code vhba.kernel.dpc.latency}: from KeInsertQueueDpc to the routine's start, and
 *       {@code vhba.kernel.isr.duration}: the time an ISR ran. These two cost a clock read per DPC and two per ISR,
 *       so they are recorded only with data-path metrics on.</li>
 * </ul>
 * DPC latency and ISR time are microseconds on this machine: they get fixed service-level buckets
 * rather than a percentile histogram, which would add some 40 series per processor and timer.
 */
public final class KernelMetrics {
    /** Bucket bounds of the DPC latency and ISR time histograms. */
    static final Duration[] BUCKETS = {
        Duration.ofNanos(1_000), Duration.ofNanos(2_500), Duration.ofNanos(5_000), Duration.ofNanos(10_000),
        Duration.ofNanos(25_000), Duration.ofNanos(50_000), Duration.ofNanos(100_000), Duration.ofNanos(250_000),
        Duration.ofMillis(1), Duration.ofMillis(10), Duration.ofMillis(100)};

    private KernelMetrics() {}

    /** Registers every processor's meters; with {@code timing} the dispatcher also times DPC latency and ISRs. */
    public static void bind(Kernel kernel, MeterRegistry registry, boolean timing) {
        for (KProcessor p : kernel.processors()) {
            Tags tags = Tags.of("processor", Integer.toString(p.number()));
            FunctionCounter.builder("vhba.kernel.interrupts", p, KProcessor::isrsRun).tags(tags)
                    .description("Interrupt service routines run on the processor").register(registry);
            FunctionCounter.builder("vhba.kernel.dpcs", p, KProcessor::dpcsRun).tags(tags)
                    .description("DPCs run on the processor").register(registry);
            Gauge.builder("vhba.kernel.dpc.queue.depth", p, KProcessor::dpcQueueDepth).tags(tags)
                    .description("DPCs waiting in the processor's queue").register(registry);
            if (timing) {
                p.timing = new ProcessorTiming(
                        timer("vhba.kernel.dpc.latency", "From KeInsertQueueDpc to the start of the DPC routine", tags, registry),
                        timer("vhba.kernel.isr.duration", "Time an interrupt service routine ran", tags, registry));
            }
        }
    }

    private static Timer timer(String name, String description, Tags tags, MeterRegistry registry) {
        return Timer.builder(name).description(description).tags(tags).serviceLevelObjectives(BUCKETS).register(registry);
    }

    /** A processor's pre-resolved timers: the dispatcher records without a registry lookup. */
    static final class ProcessorTiming {
        private final Timer dpcLatency;
        private final Timer isrTime;

        ProcessorTiming(Timer dpcLatency, Timer isrTime) {
            this.dpcLatency = dpcLatency;
            this.isrTime = isrTime;
        }

        void dpcLatency(long nanos) {
            dpcLatency.record(nanos, TimeUnit.NANOSECONDS);
        }

        void isrTime(long nanos) {
            isrTime.record(nanos, TimeUnit.NANOSECONDS);
        }
    }
}
