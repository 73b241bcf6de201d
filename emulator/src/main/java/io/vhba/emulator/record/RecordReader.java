package io.vhba.emulator.record;

import io.vhba.emulator.config.ConfigException;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;

/**
 * Reads a {@code .vhbarec}: the header at once, the entries one by one. A file that is not a record, of another
 * version, or cut short is a {@link ConfigException} naming the problem.
 */
public final class RecordReader implements AutoCloseable {
    private final Path file;
    private final DataInputStream in;
    private final RecordHeader header;
    private boolean ended;

    public RecordReader(Path file) {
        this.file = file;
        if (!Files.isRegularFile(file)) {
            throw new ConfigException("record " + file + ": no such file");
        }
        try {
            InputStream raw = Files.newInputStream(file);
            byte[] magic = raw.readNBytes(RecordFormat.MAGIC.length);
            if (!Arrays.equals(magic, RecordFormat.MAGIC)) {
                raw.close();
                throw new ConfigException("record " + file + ": not a vHBA record (no VHBAREC magic)");
            }
            in = new DataInputStream(new BufferedInputStream(new GZIPInputStream(raw, 1 << 16), 1 << 16));
            int n = in.readInt();
            if (n < 2 || n > (16 << 20)) {
                throw new ConfigException("record " + file + ": header length " + n + " is not plausible");
            }
            header = RecordFormat.JSON.readValue(in.readNBytes(n), RecordHeader.class);
            if (header.version() != RecordHeader.VERSION) {
                throw new ConfigException("record " + file + ": format version " + header.version() + ", this vHBA reads "
                        + RecordHeader.VERSION);
            }
        } catch (IOException e) {
            throw new ConfigException("record " + file + ": " + e.getMessage());
        }
    }

    public RecordHeader header() {
        return header;
    }

    /** The next entry, or null after END. */
    public RecordEntry next() {
        if (ended) {
            return null;
        }
        try {
            byte kind = in.readByte();
            long step = in.readLong();
            long t = in.readLong();
            RecordedInput input = switch (kind) {
                case RecordFormat.OPEN -> new RecordedInput.Open(in.readInt(), in.readUTF(), in.readUTF());
                case RecordFormat.DATA -> {
                    int c = in.readInt();
                    int n = in.readInt();
                    if (n < 0 || n > RecordFormat.MAX_DATA) {
                        throw new ConfigException("record " + file + ": a DATA entry of " + n + " bytes");
                    }
                    yield new RecordedInput.Data(c, in.readNBytes(n));
                }
                case RecordFormat.CLOSE -> new RecordedInput.Close(in.readInt());
                case RecordFormat.CONTROL -> new RecordedInput.Control(in.readUTF(), in.readUTF());
                case RecordFormat.END -> {
                    int n = in.readInt();
                    ended = true;
                    yield new RecordedInput.End(RecordFormat.JSON.readValue(in.readNBytes(n), RunSummary.class));
                }
                default -> throw new ConfigException("record " + file + ": unknown entry kind " + kind);
            };
            return new RecordEntry(step, t, input);
        } catch (EOFException e) {
            throw new ConfigException("record " + file + ": cut short (no END entry): the recorded run did not stop cleanly");
        } catch (IOException e) {
            throw new ConfigException("record " + file + ": " + e.getMessage());
        }
    }

    @Override
    public void close() {
        try {
            in.close();
        } catch (IOException e) {
            // nothing left to do with it
        }
    }
}
