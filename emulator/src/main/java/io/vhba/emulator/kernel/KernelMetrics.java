package io.vhba.emulator.kernel;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.vhba.emulator.metrics.LatencyBuckets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The simulated processors' meters, one set per processor ({@code processor} tag):
 * <ul>
 *   <li>{@code vhba.kernel.interrupts} and {@code vhba.kernel.dpcs}: ISRs and DPCs run, read from the counters
 *       the dispatcher keeps anyway (nothing is added to the hot path);</li>
 *   <li>{@code vhba.kernel.dpc.queue.depth}: DPCs waiting in the processor's queue, read at scrape time;</li>
 *   <li>{@code vhba.kernel.dpc.latency}: from KeInsertQueueDpc to the routine's start, and
 *       {@code vhba.kernel.isr.duration}: the time an ISR ran. An I/O runs two DPCs and an ISR, and timing each
 *       would cost it four clock reads and three histogram records (about 0.4 µs, measured): so one DPC and one
 *       ISR in {@value #SAMPLE_EVERY} per processor is timed, which keeps the quantiles and the mean and costs the
 *       others an increment. Their {@code _count} counts the timed ones; the rates are the counters above. Only
 *       with data-path metrics on.</li>
 * </ul>
 * All three timers are histograms over {@link LatencyBuckets} (DPC latency and ISR time up to 100 ms).
 */
public final class KernelMetrics {
    /** DPC latency and ISR time bucket bounds: the shared ladder up to 100 ms. */
    static final Duration[] BUCKETS = LatencyBuckets.upTo(Duration.ofMillis(100));

    /** One DPC and one ISR in this many is timed (a power of two). */
    static final int SAMPLE_EVERY = 16;

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
                        timer("vhba.kernel.dpc.latency", "From KeInsertQueueDpc to the start of the DPC routine "
                                + "(one DPC in " + SAMPLE_EVERY + " timed)", tags, registry),
                        timer("vhba.kernel.isr.duration", "Time an interrupt service routine ran (one ISR in "
                                + SAMPLE_EVERY + " timed)", tags, registry));
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
        /**
         * Sampling ticks. Plain fields: DPCs are inserted from any thread, and a lost increment only moves which
         * one is timed; ISRs run on the processor's own thread.
         */
        private int dpcTick;
        private int isrTick;

        ProcessorTiming(Timer dpcLatency, Timer isrTime) {
            this.dpcLatency = dpcLatency;
            this.isrTime = isrTime;
        }

        /** Whether the DPC being queued now is to be timed. */
        boolean sampleDpc() {
            return (++dpcTick & (SAMPLE_EVERY - 1)) == 0;
        }

        /** Whether the ISR about to run is to be timed. */
        boolean sampleIsr() {
            return (++isrTick & (SAMPLE_EVERY - 1)) == 0;
        }

        void dpcLatency(long nanos) {
            dpcLatency.record(nanos, TimeUnit.NANOSECONDS);
        }

        void isrTime(long nanos) {
            isrTime.record(nanos, TimeUnit.NANOSECONDS);
        }
    }
}
