package io.vhba.emulator.scsi.disk;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * Where a {@link FileStore}'s provisioning map lives on disk: a checkpoint of the whole map ({@code <file>.map}) and a
 * redo log of the words changed since ({@code <file>.map.log}). Both carry CRC32C checksums, so nothing torn or
 * damaged is ever taken for a map.
 *
 * <p>Checkpoint: a 64-byte header (magic {@code VHBAMAP2}, version, state, capacity, granularity, generation, word
 * count, CRC32C of header and words) and the bitmap words. It is written to a temporary file, forced, renamed over the
 * old one and the directory forced, so a crash leaves the old checkpoint or the new one whole. Its state is
 * {@link State#OPEN} while a store uses it and {@link State#CLEAN} only when written last by a clean close.
 *
 * <p>Log: batches, one per flush that changed the map, each a 32-byte header (magic, entry count, the checkpoint's
 * generation, a sequence number, CRC32C) and entries of (word index, word value). A batch is forced before the flush
 * that wrote it completes, and batches are written one after the other, so after a crash only the last one can be
 * torn: recovery applies batches of the checkpoint's generation in sequence and stops at the first that does not
 * check out. A new checkpoint (generation + 1) empties the log; a log left from an older generation is ignored.
 */
final class MapJournal implements Closeable {

    /** Whether the checkpoint was left by a clean close. */
    enum State {
        OPEN(1), CLEAN(2);

        final int code;

        State(int code) {
            this.code = code;
        }

        static State of(int code) {
            return code == 1 ? OPEN : code == 2 ? CLEAN : null;
        }
    }

    /** What {@link #open} found. */
    sealed interface Recovery permits Missing, Clean, Replayed, Unusable {}

    /** No checkpoint: the store is new, or its map was never written. */
    record Missing() implements Recovery {}

    /** A checkpoint a clean close wrote last: the map is exact. */
    record Clean(long generation) implements Recovery {}

    /**
     * The store was not closed cleanly (killed, crashed, power lost): the checkpoint plus {@code batches} log batches
     * make the map as of the last completed flush; {@code discardedBytes} of a torn or stale log tail were ignored.
     */
    record Replayed(long generation, int batches, long discardedBytes) implements Recovery {}

    /** A checkpoint that cannot be trusted: torn, damaged, another format, or made for another geometry. */
    record Unusable(String reason) implements Recovery {}

    static final byte[] MAGIC = {'V', 'H', 'B', 'A', 'M', 'A', 'P', '2'};
    static final int VERSION = 2;
    static final int HEADER = 64;
    static final int CRC_AT = 48;
    static final int BATCH_MAGIC = 0x56484C47; // "VHLG"
    static final int BATCH_HEADER = 32;
    static final int BATCH_CRC_AT = 24;
    static final int ENTRY = 12;
    /** The log is folded into a new checkpoint once it would exceed this or the checkpoint's own size. */
    private static final long LOG_LIMIT = 1 << 20;
    private static final int CHUNK = 64 * 1024;

    private final Path mapPath;
    private final Path logPath;
    private final FileChannel log;
    private final int granularity;
    private long generation;
    private long sequence;
    private long logSize;

    private MapJournal(Path mapPath, FileChannel log, int granularity) {
        this.mapPath = mapPath;
        this.logPath = logPathOf(mapPath);
        this.log = log;
        this.granularity = granularity;
    }

    static Path logPathOf(Path mapPath) {
        return mapPath.resolveSibling(mapPath.getFileName() + ".log");
    }

    /** A journal and what its files held. */
    record Opened(MapJournal journal, Recovery recovery) {}

    /**
     * Opens the journal at {@code mapPath} and loads what it holds into {@code map} (left untouched when the recovery is
     * {@link Missing} or {@link Unusable}). The caller then writes a first {@link #checkpoint} before any change.
     */
    static Opened open(Path mapPath, long capacity, int granularity, ProvisioningMap map) throws IOException {
        FileChannel log = FileChannel.open(logPathOf(mapPath), StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        try {
            MapJournal j = new MapJournal(mapPath, log, granularity);
            Recovery r = j.load(capacity, map);
            if (r instanceof Missing || r instanceof Unusable) {
                // A log belongs to its checkpoint: without one it means nothing, and must go before a new generation
                // starts whose numbers could repeat its own.
                log.truncate(0);
                log.force(true);
            }
            return new Opened(j, r);
        } catch (IOException | RuntimeException e) {
            log.close();
            throw e;
        }
    }

    long generation() {
        return generation;
    }

    long logSize() {
        return logSize;
    }

    /** Whether {@code dirty} should go into a new checkpoint rather than the log (the log would grow past its limit). */
    boolean wantsCheckpoint(ProvisioningMap.DirtyWords dirty, int mapWords) {
        long batch = BATCH_HEADER + (long) ENTRY * dirty.size();
        return logSize + batch > Math.max(LOG_LIMIT, (long) mapWords * Long.BYTES);
    }

    /** Appends one batch and forces it: once this returns, the words survive a crash. */
    void append(ProvisioningMap.DirtyWords dirty) throws IOException {
        int n = dirty.size();
        ByteBuffer b = ByteBuffer.allocate(BATCH_HEADER + ENTRY * n);
        b.putInt(BATCH_MAGIC).putInt(n).putLong(generation).putLong(sequence).putInt(0).putInt(0);
        for (int k = 0; k < n; k++) {
            b.putInt(dirty.index()[k]).putLong(dirty.value()[k]);
        }
        CRC32C crc = new CRC32C();
        crc.update(b.array(), 0, b.position());
        b.putInt(BATCH_CRC_AT, (int) crc.getValue()).flip();
        writeFully(log, b, logSize);
        log.force(false);
        logSize += BATCH_HEADER + (long) ENTRY * n;
        sequence++;
    }

    /**
     * Writes {@code map} as the checkpoint of the next generation: the temporary file is written and forced, then
     * {@code beforeCommit} runs (the store forces its data, so every mapped bit in the image has its bytes on the
     * medium), then the rename commits it and the log is emptied. The caller has cleared the map's dirty bits
     * before the call, so a change made while the image is read is logged by the next flush.
     */
    void checkpoint(ProvisioningMap map, long capacity, State state, IoAction beforeCommit) throws IOException {
        long next = generation + 1;
        Path tmp = mapPath.resolveSibling(mapPath.getFileName() + ".tmp");
        try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            int words = map.words();
            ByteBuffer header = header(state, capacity, next, words);
            CRC32C crc = new CRC32C();
            crc.update(header.array(), 0, HEADER);
            ByteBuffer chunk = ByteBuffer.allocate(CHUNK);
            long pos = HEADER;
            for (int i = 0; i < words; i++) {
                if (!chunk.hasRemaining()) {
                    pos += flushChunk(out, chunk, crc, pos);
                }
                chunk.putLong(map.word(i));
            }
            flushChunk(out, chunk, crc, pos);
            header.putInt(CRC_AT, (int) crc.getValue());
            writeFully(out, header, 0);
            out.force(true);
        }
        beforeCommit.run();
        Files.move(tmp, mapPath, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        forceDirectory(mapPath);
        generation = next;
        sequence = 0;
        logSize = 0;
        log.truncate(0);
        log.force(true);
    }

    /** Closes the log file, leaving it in place (a store that was not closed cleanly). */
    @Override
    public void close() throws IOException {
        log.close();
    }

    /** Removes the (empty) log file: a clean close leaves the checkpoint alone. */
    void removeLog() throws IOException {
        log.close();
        Files.deleteIfExists(logPath);
        forceDirectory(logPath);
    }

    /** A force or other I/O step run inside {@link #checkpoint}. */
    @FunctionalInterface
    interface IoAction {
        void run() throws IOException;
    }

    // ---- loading ----

    private Recovery load(long capacity, ProvisioningMap map) throws IOException {
        FileChannel in;
        try {
            in = FileChannel.open(mapPath, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            return new Missing();
        }
        try (in) {
            long expected = HEADER + (long) map.words() * Long.BYTES;
            long size = in.size();
            if (size < HEADER) {
                return new Unusable("torn: " + size + " bytes, shorter than its header");
            }
            ByteBuffer header = ByteBuffer.allocate(HEADER);
            readFully(in, header, 0);
            byte[] magic = new byte[MAGIC.length];
            header.get(0, magic);
            if (!Arrays.equals(magic, MAGIC)) {
                return new Unusable("not a vHBA allocation map of version " + VERSION + " (magic "
                        + new String(magic, java.nio.charset.StandardCharsets.ISO_8859_1).replaceAll("\\P{Print}", "?")
                        + ")");
            }
            if (header.getInt(8) != VERSION) {
                return new Unusable("unknown version " + header.getInt(8));
            }
            long words = header.getLong(40);
            if (words < 0 || size != HEADER + words * Long.BYTES) {
                return new Unusable("torn: " + size + " bytes for " + words + " words");
            }
            int stored = header.getInt(CRC_AT);
            header.putInt(CRC_AT, 0);
            CRC32C crc = new CRC32C();
            crc.update(header.array(), 0, HEADER);
            long[] loaded = words == map.words() ? new long[map.words()] : null;
            ByteBuffer chunk = ByteBuffer.allocate(CHUNK);
            int index = 0;
            for (long pos = HEADER; pos < size; ) {
                chunk.clear().limit((int) Math.min(CHUNK, size - pos));
                readFully(in, chunk, pos);
                crc.update(chunk.array(), 0, chunk.limit());
                pos += chunk.limit();
                if (loaded != null) {
                    for (int k = 0; k < chunk.limit(); k += Long.BYTES) {
                        loaded[index++] = chunk.getLong(k);
                    }
                }
            }
            if ((int) crc.getValue() != stored) {
                return new Unusable("checksum mismatch (damaged)");
            }
            State state = State.of(header.getInt(12));
            long madeFor = header.getLong(16);
            int madeGranularity = header.getInt(24);
            if (state == null) {
                return new Unusable("unknown state " + header.getInt(12));
            }
            if (madeFor != capacity || madeGranularity != granularity || loaded == null) {
                return new Unusable("made for " + madeFor + " bytes in " + madeGranularity + "-byte granules, not "
                        + capacity + " in " + granularity);
            }
            map.load(loaded);
            generation = header.getLong(32);
            if (state == State.CLEAN) {
                return new Clean(generation);
            }
            return replay(map);
        }
    }

    /** Applies the log's batches of this generation in sequence, up to the first that does not check out. */
    private Replayed replay(ProvisioningMap map) throws IOException {
        long size = log.size();
        long pos = 0;
        int batches = 0;
        ByteBuffer header = ByteBuffer.allocate(BATCH_HEADER);
        while (size - pos >= BATCH_HEADER) {
            header.clear();
            readFully(log, header, pos);
            int count = header.getInt(4);
            if (header.getInt(0) != BATCH_MAGIC || header.getLong(8) != generation || header.getLong(16) != batches
                    || count <= 0 || count > map.words() || size - pos - BATCH_HEADER < (long) ENTRY * count) {
                break;
            }
            ByteBuffer entries = ByteBuffer.allocate(ENTRY * count);
            readFully(log, entries, pos + BATCH_HEADER);
            int stored = header.getInt(BATCH_CRC_AT);
            header.putInt(BATCH_CRC_AT, 0);
            CRC32C crc = new CRC32C();
            crc.update(header.array(), 0, BATCH_HEADER);
            crc.update(entries.array(), 0, entries.capacity());
            if ((int) crc.getValue() != stored || !indicesInRange(entries, count, map.words())) {
                break;
            }
            for (int k = 0; k < count; k++) {
                map.loadWord(entries.getInt(k * ENTRY), entries.getLong(k * ENTRY + 4));
            }
            pos += BATCH_HEADER + (long) ENTRY * count;
            batches++;
        }
        return new Replayed(generation, batches, size - pos);
    }

    private static boolean indicesInRange(ByteBuffer entries, int count, int words) {
        for (int k = 0; k < count; k++) {
            int i = entries.getInt(k * ENTRY);
            if (i < 0 || i >= words) {
                return false;
            }
        }
        return true;
    }

    // ---- file I/O ----

    private ByteBuffer header(State state, long capacity, long generation, int words) {
        ByteBuffer h = ByteBuffer.allocate(HEADER);
        h.put(MAGIC).putInt(VERSION).putInt(state.code).putLong(capacity).putInt(granularity).putInt(0)
                .putLong(generation).putLong(words).putInt(0);
        return h.clear();
    }

    private static int flushChunk(FileChannel out, ByteBuffer chunk, CRC32C crc, long pos) throws IOException {
        chunk.flip();
        int n = chunk.remaining();
        crc.update(chunk.array(), 0, n);
        writeFully(out, chunk, pos);
        chunk.clear();
        return n;
    }

    private static void writeFully(FileChannel ch, ByteBuffer b, long pos) throws IOException {
        while (b.hasRemaining()) {
            pos += ch.write(b, pos);
        }
    }

    private static void readFully(FileChannel ch, ByteBuffer b, long pos) throws IOException {
        while (b.hasRemaining()) {
            int r = ch.read(b, pos);
            if (r < 0) {
                throw new IOException("unexpected end of " + ch);
            }
            pos += r;
        }
    }

    /** Makes a rename or removal in {@code file}'s directory durable where a directory can be opened (Linux). */
    static void forceDirectory(Path file) {
        Path dir = file.toAbsolutePath().getParent();
        if (dir == null) {
            return;
        }
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException e) {
            // not supported on this platform (Windows); the files themselves are forced
        }
    }
}
