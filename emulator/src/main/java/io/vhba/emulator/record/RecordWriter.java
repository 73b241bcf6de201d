package io.vhba.emulator.record;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/**
 * Writes a {@code .vhbarec} as the run goes. Entries come from the scheduler's baton holder, one at a time, in the
 * order they were admitted.
 */
public final class RecordWriter implements AutoCloseable {
    private final Path file;
    private final DataOutputStream out;
    private long entries;

    public RecordWriter(Path file, RecordHeader header) {
        this.file = file;
        try {
            OutputStream raw = Files.newOutputStream(file);
            raw.write(RecordFormat.MAGIC);
            out = new DataOutputStream(new BufferedOutputStream(new GZIPOutputStream(raw, 1 << 16), 1 << 16));
            byte[] h = RecordFormat.JSON.writeValueAsBytes(header);
            out.writeInt(h.length);
            out.write(h);
        } catch (IOException e) {
            throw new UncheckedIOException("record " + file + ": " + e.getMessage(), e);
        }
    }

    public synchronized void write(RecordEntry e) {
        try {
            RecordedInput in = e.input();
            if (in instanceof RecordedInput.Open o) {
                head(RecordFormat.OPEN, e);
                out.writeInt(o.connection());
                out.writeUTF(o.local());
                out.writeUTF(o.remote());
            } else if (in instanceof RecordedInput.Data d) {
                head(RecordFormat.DATA, e);
                out.writeInt(d.connection());
                out.writeInt(d.bytes().length);
                out.write(d.bytes());
            } else if (in instanceof RecordedInput.Close c) {
                head(RecordFormat.CLOSE, e);
                out.writeInt(c.connection());
            } else if (in instanceof RecordedInput.Control c) {
                head(RecordFormat.CONTROL, e);
                out.writeUTF(c.kind());
                out.writeUTF(c.argument());
            } else if (in instanceof RecordedInput.End x) {
                head(RecordFormat.END, e);
                byte[] j = RecordFormat.JSON.writeValueAsBytes(x.summary());
                out.writeInt(j.length);
                out.write(j);
            }
            entries++;
        } catch (IOException ex) {
            throw new UncheckedIOException("record " + file + ": " + ex.getMessage(), ex);
        }
    }

    private void head(byte kind, RecordEntry e) throws IOException {
        out.writeByte(kind);
        out.writeLong(e.step());
        out.writeLong(e.virtualNanos());
    }

    public synchronized long entries() {
        return entries;
    }

    @Override
    public synchronized void close() {
        try {
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException("record " + file + ": " + e.getMessage(), e);
        }
    }
}
