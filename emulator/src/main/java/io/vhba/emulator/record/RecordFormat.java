package io.vhba.emulator.record;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;

/**
 * The {@code .vhbarec} layout: the magic {@code VHBAREC\n}, then a gzip stream of the header (a length-prefixed
 * JSON object, {@link RecordHeader}) and the entries. Each entry is a kind byte, the step and the virtual time
 * (longs), then the kind's fields: OPEN connection, local and remote address; DATA connection and bytes; CLOSE
 * connection; CONTROL kind and argument; END the {@link RunSummary} as JSON. Strings are modified UTF-8
 * ({@link java.io.DataOutput#writeUTF}), numbers big-endian.
 */
final class RecordFormat {
    static final byte[] MAGIC = "VHBAREC\n".getBytes(StandardCharsets.US_ASCII);
    static final byte OPEN = 1;
    static final byte DATA = 2;
    static final byte CLOSE = 3;
    static final byte CONTROL = 4;
    static final byte END = 5;
    /** The largest DATA entry a reader accepts (a socket read burst is far smaller). */
    static final int MAX_DATA = 64 << 20;

    static final ObjectMapper JSON = new ObjectMapper()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private RecordFormat() {}
}
