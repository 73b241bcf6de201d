package io.vhba.emulator.limits;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts every time a {@link Limit} is reached and logs it, at most one line per limit every ten seconds (with the
 * number of events that line stands for), so that a flood of refused logins cannot flood the log too. Thread-safe.
 */
public final class LimitEvents {
    private static final Logger LOG = LoggerFactory.getLogger(LimitEvents.class);
    private static final long INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final Map<Limit, LongAdder> counts = new EnumMap<>(Limit.class);
    private final Map<Limit, AtomicLong> nextReport = new EnumMap<>(Limit.class);
    private final Map<Limit, AtomicLong> unreported = new EnumMap<>(Limit.class);

    public LimitEvents() {
        long now = System.nanoTime();
        for (Limit l : Limit.values()) {
            counts.put(l, new LongAdder());
            nextReport.put(l, new AtomicLong(now));
            unreported.put(l, new AtomicLong());
        }
    }

    /** {@code limit} was reached; {@code detail} (who, how much) is only built when a line is logged. */
    public void reached(Limit limit, Supplier<String> detail) {
        counts.get(limit).increment();
        long now = System.nanoTime();
        AtomicLong next = nextReport.get(limit);
        long due = next.get();
        if (now - due < 0 || !next.compareAndSet(due, now + INTERVAL_NANOS)) {
            unreported.get(limit).incrementAndGet();
            return;
        }
        long others = unreported.get(limit).getAndSet(0);
        LOG.warn("limit {} ({}) reached: {}; {}{}", limit.key(), limit.what(), detail.get(), limit.answer(),
                others == 0 ? "" : " (" + others + " more times since the last report)");
    }

    /** How often {@code limit} was reached since start. */
    public long count(Limit limit) {
        return counts.get(limit).sum();
    }
}
