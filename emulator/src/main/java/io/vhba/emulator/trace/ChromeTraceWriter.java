package io.vhba.emulator.trace;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes a {@link Tracer}'s events as the JSON Object Format of the Trace Event Format: {@code traceEvents} (metadata
 * naming the process and every track first, then the kept events oldest first), {@code displayTimeUnit} and
 * {@code otherData}. Times are microseconds with three decimals, formatted from integers, so that the same events give
 * the same bytes.
 */
final class ChromeTraceWriter {
    static final int PID = 1;

    private ChromeTraceWriter() {}

    static void write(Tracer t, Path file) {
        TraceEvent[] events = t.kept();
        try (JsonGenerator g = new JsonFactory().createGenerator(file.toFile(), JsonEncoding.UTF8)) {
            g.writeStartObject();
            g.writeArrayFieldStart("traceEvents");
            meta(g, 0, "process_name", "vHBA");
            for (Map.Entry<Integer, String> e : new TreeMap<>(t.trackNames()).entrySet()) {
                meta(g, e.getKey(), "thread_name", e.getValue());
                g.writeStartObject();
                g.writeStringField("ph", "M");
                g.writeNumberField("pid", PID);
                g.writeNumberField("tid", e.getKey());
                g.writeStringField("name", "thread_sort_index");
                g.writeObjectFieldStart("args");
                g.writeNumberField("sort_index", e.getKey());
                g.writeEndObject();
                g.writeEndObject();
            }
            for (TraceEvent e : events) {
                event(g, e);
            }
            g.writeEndArray();
            g.writeStringField("displayTimeUnit", "ns");
            g.writeObjectFieldStart("otherData");
            g.writeStringField("run", t.description());
            g.writeStringField("events", events.length + " kept of " + t.recorded() + " (ring of " + t.capacity() + ")");
            g.writeEndObject();
            g.writeEndObject();
            g.writeRaw('\n');
        } catch (IOException e) {
            throw new UncheckedIOException("trace " + file + ": " + e.getMessage(), e);
        }
    }

    private static void meta(JsonGenerator g, int tid, String name, String value) throws IOException {
        g.writeStartObject();
        g.writeStringField("ph", "M");
        g.writeNumberField("pid", PID);
        g.writeNumberField("tid", tid);
        g.writeStringField("name", name);
        g.writeObjectFieldStart("args");
        g.writeStringField("name", value);
        g.writeEndObject();
        g.writeEndObject();
    }

    private static void event(JsonGenerator g, TraceEvent e) throws IOException {
        g.writeStartObject();
        g.writeStringField("ph", e.ph() == 'I' ? "i" : String.valueOf(e.ph()));
        g.writeStringField("name", e.name());
        g.writeStringField("cat", e.cat());
        g.writeNumberField("pid", PID);
        g.writeNumberField("tid", e.tid());
        g.writeFieldName("ts");
        g.writeRawValue(micros(e.ts()));
        switch (e.ph()) {
            case 'X' -> {
                g.writeFieldName("dur");
                g.writeRawValue(micros(e.dur()));
            }
            case 's', 't' -> g.writeStringField("id", Long.toString(e.id()));
            case 'f' -> {
                g.writeStringField("id", Long.toString(e.id()));
                g.writeStringField("bp", "e");
            }
            case 'b', 'e' -> g.writeStringField("id", "0x" + Long.toHexString(e.id()));
            case 'I', 'i' -> g.writeStringField("s", e.ph() == 'I' ? "g" : "t");
            default -> { }
        }
        if (e.args().length > 0) {
            g.writeObjectFieldStart("args");
            for (int i = 0; i + 1 < e.args().length; i += 2) {
                String v = e.args()[i + 1];
                if (e.ph() == 'C') {
                    g.writeFieldName(e.args()[i]);
                    g.writeRawValue(v);
                } else {
                    g.writeStringField(e.args()[i], v);
                }
            }
            g.writeEndObject();
        }
        g.writeEndObject();
    }

    /** Nanoseconds as microseconds with three decimals, e.g. 1234567 -> "1234.567". */
    static String micros(long nanos) {
        long us = nanos / 1000;
        long frac = Math.abs(nanos % 1000);
        return (nanos < 0 && us == 0 ? "-" : "") + us + "." + (frac < 100 ? (frac < 10 ? "00" : "0") : "") + frac;
    }
}
