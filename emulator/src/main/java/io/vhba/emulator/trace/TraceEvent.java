package io.vhba.emulator.trace;

/**
 * One Chrome trace event (the Trace Event Format that Perfetto and chrome://tracing load). {@code ph} is the phase:
 * X complete (with {@code dur}), i instant, s/t/f flow start/step/end, b/e async begin/end, C counter. Times are in
 * nanoseconds here and written in microseconds. {@code args} alternates names and values.
 */
record TraceEvent(char ph, int tid, String name, String cat, long ts, long dur, long id, String[] args) {
    static final String[] NO_ARGS = new String[0];
}
