package io.vhba.samples.common.hw;

import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * A simulated controller's own counters, one {@link LongAdder} per constant of the device's
 * counter enum, reported under each constant's {@link Counter#key()} in declaration order. The
 * devices differ in what they count (that table stays in each sample); how they count is here.
 *
 * @param <C> the device's counter table
 */
public class DeviceStatistics<C extends Enum<C> & DeviceStatistics.Counter> {

    /** One counter of a device's table: its key in the statistics map. */
    public interface Counter {
        String key();
    }

    private final EnumMap<C, LongAdder> counters;

    public DeviceStatistics(Class<C> table) {
        counters = new EnumMap<>(table);
        for (C c : table.getEnumConstants()) {
            counters.put(c, new LongAdder());
        }
    }

    public final void increment(C c) {
        counters.get(c).increment();
    }

    public final void add(C c, long n) {
        counters.get(c).add(n);
    }

    public final long get(C c) {
        return counters.get(c).sum();
    }

    /** Every counter by key, in the table's order. */
    public final Map<String, Long> snapshot() {
        Map<String, Long> m = new LinkedHashMap<>();
        counters.forEach((c, v) -> m.put(c.key(), v.sum()));
        return m;
    }
}
