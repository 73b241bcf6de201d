package io.vhba.emulator.iscsi.session;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.BaseUnits;
import io.vhba.emulator.metrics.LatencyBuckets;
import io.vhba.miniport.scsi.ScsiStatus;
import io.vhba.miniport.scsi.SenseKey;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * The command meters of one LUN of one target, as the transport sees its commands: resolved once
 * (a connection caches them by LUN number), recorded without a registry lookup or an allocation.
 * Counters are {@link LongAdder}s read by {@link FunctionCounter}s; a meter whose label value has
 * not occurred yet (a direction, a status, a sense key) is registered when it first occurs.
 * The {@code initiator} is not a label here: it would multiply every histogram by the initiators.
 */
final class CommandMeters {
    /** Declared first: NONE's construction below reads it. */
    private static final ScsiStatus[] STATUSES = ScsiStatus.values();
    /** Records nothing: data-path metrics are off. */
    static final CommandMeters NONE = new CommandMeters(null, Tags.empty());

    /** Command latency buckets: a loopback read takes tens of microseconds, a stuck one up to the SRB timeout. */
    static final Duration[] LATENCY_BUCKETS = LatencyBuckets.upTo(Duration.ofSeconds(60));

    /** The data direction of a command, from the R and W bits of its PDU (a bidirectional one counts as a write). */
    enum Direction {
        READ, WRITE, NONE;

        final String label = name().toLowerCase(Locale.ROOT);

        static Direction of(boolean read, boolean write) {
            return write ? WRITE : read ? READ : NONE;
        }
    }

    private final MeterRegistry registry;
    private final Tags tags;
    private final AtomicReferenceArray<Timer> durations = new AtomicReferenceArray<>(Direction.values().length);
    private final LongAdder readBytes = new LongAdder();
    private final LongAdder writeBytes = new LongAdder();
    private final AtomicReferenceArray<LongAdder> byStatus = new AtomicReferenceArray<>(STATUSES.length);
    private final AtomicReferenceArray<LongAdder> bySenseKey = new AtomicReferenceArray<>(16);

    /** @param tags {@code target} and {@code lun} */
    CommandMeters(MeterRegistry registry, Tags tags) {
        this.registry = registry;
        this.tags = tags;
        if (registry != null) {
            bytes("read", readBytes);
            bytes("write", writeBytes);
        }
    }

    private void bytes(String direction, LongAdder a) {
        FunctionCounter.builder("vhba.iscsi.data", a, LongAdder::sum).baseUnit(BaseUnits.BYTES)
                .description("Data moved by SCSI commands: Data-In sent (read), Data-Out received (write)")
                .tags(tags).tag("direction", direction).register(registry);
    }

    /**
     * A command's status went out: its latency since {@code startNanos}, its data, its status and, for a
     * CHECK CONDITION, the sense key.
     */
    void responded(boolean read, boolean write, long startNanos, int dataInBytes, int dataOutBytes, ScsiStatus status,
                   byte[] sense) {
        if (registry == null) {
            return;
        }
        Direction d = Direction.of(read, write);
        Timer t = durations.get(d.ordinal());
        (t != null ? t : timer(d)).record(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
        if (dataInBytes > 0) {
            readBytes.add(dataInBytes);
        }
        if (dataOutBytes > 0) {
            writeBytes.add(dataOutBytes);
        }
        LongAdder s = byStatus.get(status.ordinal());
        (s != null ? s : statusCounter(status)).increment();
        if (status == ScsiStatus.CHECK_CONDITION) {
            int key = senseKey(sense);
            if (key >= 0) {
                LongAdder k = bySenseKey.get(key);
                (k != null ? k : senseKeyCounter(key)).increment();
            }
        }
    }

    /** The sense key of fixed (70h/71h) or descriptor (72h/73h) format sense data (SPC-4 4.5), or -1. */
    static int senseKey(byte[] sense) {
        if (sense == null || sense.length < 3) {
            return -1;
        }
        return switch (sense[0] & 0x7F) {
            case 0x70, 0x71 -> sense[2] & 0x0F;
            case 0x72, 0x73 -> sense[1] & 0x0F;
            default -> -1;
        };
    }

    private synchronized Timer timer(Direction d) {
        Timer t = durations.get(d.ordinal());
        if (t == null) {
            t = Timer.builder("vhba.iscsi.command.duration")
                    .description("SCSI command latency: from its SCSI Command PDU (in CmdSN order) to its status PDU")
                    .tags(tags).tag("direction", d.label)
                    .serviceLevelObjectives(LATENCY_BUCKETS).register(registry);
            // The command count is the timer's: no second increment per command.
            FunctionCounter.builder("vhba.iscsi.commands", t, Timer::count).description("SCSI commands answered")
                    .tags(tags).tag("direction", d.label).register(registry);
            durations.set(d.ordinal(), t);
        }
        return t;
    }

    private synchronized LongAdder statusCounter(ScsiStatus status) {
        LongAdder a = byStatus.get(status.ordinal());
        if (a == null) {
            a = new LongAdder();
            FunctionCounter.builder("vhba.iscsi.command.status", a, LongAdder::sum)
                    .description("SCSI commands answered, by SCSI status")
                    .tags(tags).tag("status", status.name().toLowerCase(Locale.ROOT)).register(registry);
            byStatus.set(status.ordinal(), a);
        }
        return a;
    }

    private synchronized LongAdder senseKeyCounter(int key) {
        LongAdder a = bySenseKey.get(key);
        if (a == null) {
            a = new LongAdder();
            String label = key == 0xC || key == 0xF ? String.format("0x%x", key) : SenseKey.of(key).name().toLowerCase(Locale.ROOT);
            FunctionCounter.builder("vhba.iscsi.check.conditions", a, LongAdder::sum)
                    .description("CHECK CONDITION answers, by sense key").tags(tags).tag("sense_key", label)
                    .register(registry);
            bySenseKey.set(key, a);
        }
        return a;
    }
}
