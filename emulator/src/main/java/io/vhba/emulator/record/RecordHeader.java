package io.vhba.emulator.record;

import io.vhba.emulator.config.VhbaConfig;

/**
 * What rebuilds the recorded target: the format version, the seed and strategy of the schedule, the virtual time of
 * one step, the portals the run listened on (a discovery answer names them), and the whole configuration (miniport, LUNs, processors, controller mode, I/O timeout; faults given at
 * start come as {@link RecordedInput.Control} inputs).
 */
public record RecordHeader(int version, long seed, String strategy, long quantumNanos, VhbaConfig config,
                           java.util.List<String> portals) {
    public static final int VERSION = 1;
}
