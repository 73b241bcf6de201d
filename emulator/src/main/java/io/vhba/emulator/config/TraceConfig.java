package io.vhba.emulator.config;

/**
 * The timeline (docs/architecture.md, "The timeline"): Chrome trace-event JSON written when the emulator stops.
 *
 * @param file   where the JSON goes
 * @param events how many of the last events are kept (a ring; default {@link #DEFAULT_EVENTS})
 */
public record TraceConfig(String file, Integer events) {
    public static final int DEFAULT_EVENTS = 200_000;

    public TraceConfig {
        events = events == null ? DEFAULT_EVENTS : events;
    }

    void validate() {
        if (file == null || file.isEmpty()) {
            throw new ConfigException("trace.file: a trace needs a file");
        }
        if (events < 1000 || events > 50_000_000) {
            throw new ConfigException("trace.events: " + events + " is outside 1000..50000000");
        }
        java.nio.file.Path parent = java.nio.file.Path.of(file).toAbsolutePath().getParent();
        if (parent != null && !java.nio.file.Files.isDirectory(parent)) {
            throw new ConfigException("trace.file: the directory of " + file + " does not exist");
        }
    }
}
