package io.vhba.emulator.config;

import java.util.Locale;

/**
 * Deterministic mode (docs/architecture.md, "Deterministic mode"): every simulated thread is scheduled by one seeded
 * scheduler over virtual time, so the same seed and the same inputs give the same interleaving.
 *
 * @param seed     names the schedule (default 0)
 * @param strategy {@code random} (default) or {@code pct}
 * @param record   a {@code .vhbarec} file the run's inputs are recorded to, for {@code vhba replay}; none by default
 */
public record DeterministicConfig(Long seed, String strategy, String record) {

    public DeterministicConfig {
        seed = seed == null ? 0 : seed;
        strategy = strategy == null ? "random" : strategy.toLowerCase(Locale.ROOT);
    }

    public static DeterministicConfig of(long seed) {
        return new DeterministicConfig(seed, null, null);
    }

    void validate() {
        if (!strategy.equals("random") && !strategy.equals("pct")) {
            throw new ConfigException("deterministic.strategy: '" + strategy + "' is not random or pct");
        }
        if (record != null) {
            java.nio.file.Path parent = java.nio.file.Path.of(record).toAbsolutePath().getParent();
            if (parent != null && !java.nio.file.Files.isDirectory(parent)) {
                throw new ConfigException("deterministic.record: the directory of " + record + " does not exist");
            }
        }
    }
}
