package io.vhba.emulator.storport;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vhba.emulator.metrics.LatencyBuckets;
import io.vhba.miniport.SrbFunction;
import io.vhba.miniport.SrbStatus;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * The engine's request-path meters, resolved once per adapter and per logical unit so that the
 * completion path records without a registry lookup and without allocating:
 * <ul>
 *   <li>{@code vhba.storport.srb.status{adapter,status}}: SRBs returned to their owner (and BUSY requeues), by
 *       {@code SrbStatus} (lower case, e.g. {@code success}, {@code error}, {@code busy}); a counter appears with the
 *       first SRB of its status;</li>
 *   <li>{@code vhba.storport.srb.duration{adapter,lun}}: device latency of SCSI requests, from
 *       {@link Adapter#submit} to the SRB's return to its owner (LU queue wait, HwStorStartIo, the device, the
 *       interrupt, the DPCs). A histogram over {@link LatencyBuckets}, for {@code histogram_quantile}.</li>
 * </ul>
 * With data-path recording off ({@code serve --no-metrics}) none of these are registered or recorded.
 * The miniport-facing meters (notifications, logged errors, pool) are {@link PortMetrics}.
 */
public final class StorportMetrics {
    /** Device latency buckets: a RAM disk answers in microseconds, a stuck request at the SRB timeout (60 s). */
    static final Duration[] LATENCY_BUCKETS = LatencyBuckets.upTo(Duration.ofSeconds(60));

    private final MeterRegistry registry;
    private final boolean dataPath;

    /**
     * @param dataPath whether SRBs are counted and timed; off, the engine's request path records nothing
     */
    public StorportMetrics(MeterRegistry registry, boolean dataPath) {
        this.registry = registry;
        this.dataPath = dataPath;
    }

    AdapterMeters adapter(String name) {
        return dataPath ? new AdapterMeters(registry, name) : AdapterMeters.NONE;
    }

    /** One adapter's SRB status counters, registered on first use (by status code, flags masked). */
    static final class AdapterMeters {
        static final AdapterMeters NONE = new AdapterMeters(null, null);

        private final MeterRegistry registry;
        private final String adapter;
        private final AtomicReferenceArray<LongAdder> byStatus = new AtomicReferenceArray<>(64);

        AdapterMeters(MeterRegistry registry, String adapter) {
            this.registry = registry;
            this.adapter = adapter;
        }

        /** An SRB goes back to its owner: its status is counted, and a SCSI request's latency recorded. */
        void returned(EngineSrb srb) {
            if (registry == null) {
                return;
            }
            status(srb.srbStatus);
            if (srb.function == SrbFunction.EXECUTE_SCSI && srb.lu != null) {
                srb.lu.meters.duration(srb.lu.adapter().kernel.nanoTime() - srb.startNanos);
            }
        }

        /** Counts one SRB completed with {@code statusByte}. */
        void status(int statusByte) {
            if (registry == null) {
                return;
            }
            int code = statusByte & 0x3F;
            LongAdder a = byStatus.get(code);
            (a != null ? a : register(code)).increment();
        }

        private synchronized LongAdder register(int code) {
            LongAdder a = byStatus.get(code);
            if (a == null) {
                a = new LongAdder();
                SrbStatus s = SrbStatus.of(code);
                String label = s == null ? String.format("0x%02x", code) : s.name().toLowerCase(Locale.ROOT);
                FunctionCounter.builder("vhba.storport.srb.status", a, LongAdder::sum)
                        .description("SRBs completed, by SRB status").tags("adapter", adapter, "status", label)
                        .register(registry);
                byStatus.set(code, a);
            }
            return a;
        }

        /** The meters of a logical unit the bus scan found. */
        UnitMeters unit(PortLogicalUnit lu) {
            if (registry == null) {
                return UnitMeters.NONE;
            }
            String lun = lu.pathId() == 0 && lu.targetId() == 0 ? Integer.toString(lu.lun()) : lu.address();
            return new UnitMeters(Timer.builder("vhba.storport.srb.duration")
                    .description("Device latency: SCSI request submitted to the port until the SRB is returned")
                    .tags("adapter", adapter, "lun", lun)
                    .serviceLevelObjectives(LATENCY_BUCKETS).register(registry));
        }
    }

    /** One logical unit's device latency timer. */
    static final class UnitMeters {
        static final UnitMeters NONE = new UnitMeters(null);

        private final Timer duration;

        UnitMeters(Timer duration) {
            this.duration = duration;
        }

        void duration(long nanos) {
            if (duration != null) {
                duration.record(nanos, TimeUnit.NANOSECONDS);
            }
        }
    }
}
