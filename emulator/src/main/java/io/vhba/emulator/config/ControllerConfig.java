package io.vhba.emulator.config;

import io.vhba.hw.ControllerOptions;
import java.util.Locale;

/** How the simulated controllers run: {@code inline} (fast path) or {@code threaded} with a latency. */
public record ControllerConfig(String mode, Long latencyMicros, Integer slots) {

    public ControllerConfig {
        mode = mode == null ? "inline" : mode.toLowerCase(Locale.ROOT);
        latencyMicros = latencyMicros == null ? 0L : latencyMicros;
        slots = slots == null ? 256 : slots;
    }

    public ControllerOptions options() {
        ControllerOptions.Mode m = switch (mode) {
            case "inline" -> ControllerOptions.Mode.INLINE;
            case "threaded" -> ControllerOptions.Mode.THREADED;
            default -> throw new ConfigException("controller.mode: '" + mode + "' is not inline or threaded");
        };
        if (latencyMicros < 0) {
            throw new ConfigException("controller.latencyMicros: " + latencyMicros + " is negative");
        }
        if (slots < 1 || slots > 4096) {
            throw new ConfigException("controller.slots: " + slots + " is outside 1..4096");
        }
        return new ControllerOptions(m, latencyMicros, slots);
    }
}
