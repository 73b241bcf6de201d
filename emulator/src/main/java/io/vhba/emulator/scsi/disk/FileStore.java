package io.vhba.emulator.scsi.disk;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A store in a regular file, through positional {@link FileChannel} I/O (thread-safe, no lock on the data path).
 *
 * <p>Provisioning. Java has no portable hole punching, so deallocation is tracked in a bitmap of
 * {@link #mappingGranularity() granules} instead: a deallocated granule reads as zeros without touching the file, and
 * the first write to it zero-fills the whole granule in the file before marking it mapped, so stale bytes never
 * reappear.
 *
 * <p>Durability. {@link #flush()} forces the file (fdatasync), then makes the map changes since the last flush
 * durable in the {@link MapJournal} beside the file ({@code <file>.map}, {@code <file>.map.log}) before it returns.
 * So when a flush returns, every write completed before it began is in the file on the medium and the map says so:
 * a write into a new granule followed by a flush never reads back as zeros, after a process kill or a power loss, and
 * a deallocation followed by a flush reads zeros. What was not flushed may be lost (the promise a volatile write
 * cache makes). On open the map is taken from a clean close's checkpoint, or recovered from the checkpoint and its
 * log after an unclean stop; one that is missing with content in the file, damaged or made for another geometry is
 * rebuilt with every granule mapped: every byte in the file then reads back, at the cost of provisioning accuracy.
 * {@link #flushAsync()} runs the same flush on the store's {@link GroupCommit} thread, one force for every request
 * waiting.
 */
public final class FileStore implements BackingStore, Closeable {

    private static final Logger LOG = LoggerFactory.getLogger(FileStore.class);

    public static final int DEFAULT_GRANULARITY = 64 * 1024;
    /** PRE-FETCH ranges up to this size are read into the OS page cache; longer ones do not fit (SBC-4 5.9). */
    static final long PREFETCH_LIMIT = 64L << 20;
    private static final int STRIPES = 64;
    private static final byte[] ZEROS = new byte[64 * 1024];

    private final Path path;
    private final FileChannel channel;
    private final int granularity;
    private final int granuleShift;
    // volatile: changed by resize, which runs alone on the data path but must publish to the threads after it
    private volatile long capacity;
    private volatile ProvisioningMap map;
    private final Object[] mapLocks = new Object[STRIPES];
    /** Serialises forces with what they persist: the journal, the map image, a resize. */
    private final Object persistLock = new Object();
    private final MapJournal journal;
    private final GroupCommit flusher;
    /** How the map was found at open, for tests and the log. */
    private final MapJournal.Recovery recovery;

    private FileStore(Path path, FileChannel channel, long capacity, int granularity, boolean hadContent)
            throws IOException {
        this.path = path;
        this.channel = channel;
        this.capacity = capacity;
        this.granularity = granularity;
        this.granuleShift = Integer.numberOfTrailingZeros(granularity);
        this.map = new ProvisioningMap(granulesFor(capacity));
        for (int i = 0; i < STRIPES; i++) {
            mapLocks[i] = new Object();
        }
        Path mapPath = path.resolveSibling(path.getFileName() + ".map");
        MapJournal.Opened opened = MapJournal.open(mapPath, capacity, granularity, map);
        this.journal = opened.journal();
        this.recovery = opened.recovery();
        try {
            adopt(mapPath, hadContent);
            // A new generation before any change: the recovered map becomes the checkpoint the log will follow.
            checkpoint(MapJournal.State.OPEN);
        } catch (IOException | RuntimeException e) {
            journal.close();
            throw e;
        }
        this.flusher = new GroupCommit(this::flush, "vhba-flush-" + path.getFileName(), GroupCommit.DEFAULT_LIMIT);
    }

    /** Completes the map from what the journal held, and says once how it was found when it was not clean. */
    private void adopt(Path mapPath, boolean hadContent) {
        if (recovery instanceof MapJournal.Replayed r) {
            LOG.warn("{}: not closed cleanly; allocation map recovered from its checkpoint and {} log batches{}",
                    path, r.batches(), r.discardedBytes() > 0
                            ? " (" + r.discardedBytes() + " bytes of torn or stale log ignored)" : "");
        } else if (recovery instanceof MapJournal.Missing && hadContent) {
            map.mapAll();
            LOG.info("{}: no allocation map beside the file; every granule is taken as mapped", path);
        } else if (recovery instanceof MapJournal.Unusable u) {
            if (hadContent) {
                map.mapAll();
            }
            LOG.warn("{}: allocation map {} is unusable ({}); rebuilt {}", path, mapPath, u.reason(),
                    hadContent ? "with every granule mapped" : "empty (the file had no content)");
        }
    }

    /** Opens or creates {@code path} with {@link #DEFAULT_GRANULARITY}, growing it (sparsely) to {@code capacity}. */
    public static FileStore open(Path path, long capacity) throws IOException {
        return open(path, capacity, DEFAULT_GRANULARITY);
    }

    /**
     * Opens or creates {@code path}, growing it (sparsely) to {@code capacity} bytes.
     *
     * @param granularity provisioning unit: a power of two from 4 KiB to 1 MiB
     */
    public static FileStore open(Path path, long capacity, int granularity) throws IOException {
        if (capacity <= 0) {
            throw new IllegalArgumentException("capacity must be positive, not " + capacity);
        }
        if (Integer.bitCount(granularity) != 1 || granularity < 4096 || granularity > (1 << 20)) {
            throw new IllegalArgumentException("granularity must be a power of two from 4 KiB to 1 MiB");
        }
        FileChannel ch = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        try {
            long size = ch.size();
            if (size < capacity) {
                ch.write(ByteBuffer.wrap(new byte[1]), capacity - 1); // extends without allocating the gap
            }
            return new FileStore(path, ch, capacity, granularity, size > 0);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    public Path path() {
        return path;
    }

    @Override
    public long capacity() {
        return capacity;
    }

    @Override
    public int mappingGranularity() {
        return granularity;
    }

    @Override
    public void read(long offset, ByteBuffer dst) throws IOException {
        BackingStore.checkRange(offset, dst.remaining(), capacity);
        while (dst.hasRemaining()) {
            long g = offset >>> granuleShift;
            int n = (int) Math.min(dst.remaining(), granuleEnd(g) - offset);
            if (isMapped(g)) {
                readFully(offset, dst, n);
            } else {
                SparseRamStore.zero(dst, n);
            }
            offset += n;
        }
    }

    @Override
    public void write(long offset, ByteBuffer src) throws IOException {
        BackingStore.checkRange(offset, src.remaining(), capacity);
        while (src.hasRemaining()) {
            long g = offset >>> granuleShift;
            int n = (int) Math.min(src.remaining(), granuleEnd(g) - offset);
            ByteBuffer part = src.slice().limit(n);
            if (isMapped(g) || !mapGranule(g, offset, part)) {
                writeFully(offset, part);
            }
            src.position(src.position() + n);
            offset += n;
        }
    }

    /**
     * Forces the file, then makes the map changes since the last flush durable: the changed words go to the journal's
     * log (or, when the log is full, the whole map into a new checkpoint). The words are read before the force, and
     * each bit was set only after its granule's zero-fill was written, so the force covers every granule the
     * persisted bits call mapped.
     */
    @Override
    public void flush() throws IOException {
        synchronized (persistLock) {
            ProvisioningMap m = map;
            ProvisioningMap.DirtyWords dirty = m.takeDirty();
            if (dirty != null && journal.wantsCheckpoint(dirty, m.words())) {
                checkpoint(MapJournal.State.OPEN); // reads every word after clearing the dirty bits, forces first
                return;
            }
            try {
                channel.force(false); // fdatasync: file content plus the metadata needed to read it back
                if (dirty != null) {
                    journal.append(dirty);
                }
            } catch (IOException e) {
                if (dirty != null) {
                    m.redirty(dirty);
                }
                throw e;
            }
        }
    }

    /**
     * A {@link #flush()} on the store's flush thread, shared with every other request waiting for it (group commit);
     * the future completes when a force that began after this call has ended. The caller is never blocked.
     */
    @Override
    public CompletableFuture<Void> flushAsync() {
        return flusher.request();
    }

    /** Forces run by the flush thread or its callers so far, and the requests they served (group commit at work). */
    long forcesRun() {
        return flusher.forces();
    }

    long flushRequestsServed() {
        return flusher.served();
    }

    /** How the map was found when the store was opened. */
    MapJournal.Recovery recovery() {
        return recovery;
    }

    /** The whole map as the next checkpoint, after forcing the file. Holds persistLock. */
    private void checkpoint(MapJournal.State state) throws IOException {
        ProvisioningMap m = map;
        m.clearDirty();
        try {
            journal.checkpoint(m, capacity, state, () -> channel.force(false));
        } catch (IOException | RuntimeException e) {
            m.redirtyAll();
            throw e;
        }
    }

    /**
     * Truncates or extends the file to {@code newCapacity} and resizes the map to match; granules past the old end
     * are deallocated. When growing, the tail of a mapped granule the old end cut is zeroed in the file first: the
     * file may be longer than the capacity was, and those bytes now lie inside the medium. The file is then forced
     * and the map checkpointed, so a restart with the new capacity finds a map that fits.
     */
    @Override
    public void resize(long newCapacity) throws IOException {
        long newGranules = granulesFor(newCapacity);
        synchronized (persistLock) {
            long old = capacity;
            if (newCapacity < old) {
                channel.truncate(newCapacity);
            } else if (newCapacity > old) {
                long cut = (old - 1) >>> granuleShift;
                long tailEnd = Math.min(newCapacity, granuleStart(cut + 1));
                if (tailEnd > old && isMapped(cut)) {
                    writeZeros(old, tailEnd - old);
                }
                if (channel.size() < newCapacity) {
                    writeFully(newCapacity - 1, ByteBuffer.wrap(new byte[1])); // extends without allocating the gap
                }
            }
            map = map.resized(newGranules);
            capacity = newCapacity;
            checkpoint(MapJournal.State.OPEN);
        }
    }

    @Override
    public void deallocate(long offset, long length) throws IOException {
        BackingStore.checkRange(offset, length, capacity);
        long end = offset + length;
        while (offset < end) {
            long g = offset >>> granuleShift;
            long gEnd = granuleEnd(g);
            long n = Math.min(end, gEnd) - offset;
            if (offset == granuleStart(g) && offset + n == gEnd) {
                map.clearMapped(g);
            } else if (isMapped(g)) {
                writeZeros(offset, n);
            }
            offset += n;
        }
    }

    @Override
    public MappingExtent extent(long offset, long maxLength) {
        BackingStore.checkRange(offset, 0, capacity);
        long limit = offset + Math.min(Math.max(maxLength, 0), capacity - offset);
        ProvisioningMap m = map;
        long g = Math.min(offset >>> granuleShift, m.granules() - 1);
        boolean mapped = m.isMapped(g);
        long next = m.nextDiffering(g + 1, mapped);
        long end = Math.min(limit, next >= m.granules() ? capacity : granuleStart(next));
        return new MappingExtent(mapped, Math.max(0, end - offset));
    }

    @Override
    public boolean prefetch(long offset, long length) throws IOException {
        BackingStore.checkRange(offset, length, capacity);
        if (length > PREFETCH_LIMIT) {
            return false;
        }
        ByteBuffer sink = ByteBuffer.allocate((int) Math.min(length, 256 * 1024));
        for (long done = 0; done < length; ) {
            sink.clear().limit((int) Math.min(sink.capacity(), length - done));
            read(offset + done, sink);
            done += sink.limit();
        }
        return true;
    }

    /**
     * Answers the flushes still waiting, forces the file and writes the map as a {@link MapJournal.State#CLEAN}
     * checkpoint, last: only a store closed this way is reopened without recovery.
     */
    @Override
    public void close() throws IOException {
        flusher.close();
        try {
            synchronized (persistLock) {
                checkpoint(MapJournal.State.CLEAN);
                journal.removeLog();
            }
        } finally {
            try {
                journal.close();
            } finally {
                channel.close();
            }
        }
    }

    // ---- provisioning bitmap ----

    private long granuleStart(long g) {
        return g << granuleShift;
    }

    private long granuleEnd(long g) {
        return Math.min(capacity, (g + 1) << granuleShift);
    }

    boolean isMapped(long g) {
        return map.isMapped(g);
    }

    /**
     * Maps an unmapped granule: zero-fills it in the file (unless {@code part} covers it whole, in which case
     * {@code part} itself is written), then sets its bit. Returns true when {@code part} was written here.
     */
    private boolean mapGranule(long g, long offset, ByteBuffer part) throws IOException {
        synchronized (mapLocks[(int) (g % STRIPES)]) {
            if (isMapped(g)) {
                return false;
            }
            long start = granuleStart(g);
            boolean whole = offset == start && part.remaining() == granuleEnd(g) - start;
            if (whole) {
                writeFully(offset, part.duplicate());
            } else {
                writeZeros(start, granuleEnd(g) - start);
            }
            map.setMapped(g); // after the zero-fill: a flush that persists the bit has forced the fill
            return whole;
        }
    }

    private long granulesFor(long capacity) {
        if (capacity <= 0) {
            throw new IllegalArgumentException("capacity must be positive, not " + capacity);
        }
        long n = ((capacity - 1) >>> granuleShift) + 1;
        if (((n + 63) >>> 6) > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("capacity " + capacity + " too large for granularity " + granularity);
        }
        return n;
    }

    // ---- file I/O ----

    private void readFully(long pos, ByteBuffer dst, int n) throws IOException {
        int end = dst.position() + n;
        int oldLimit = dst.limit();
        dst.limit(end);
        try {
            while (dst.hasRemaining()) {
                int r = channel.read(dst, pos);
                if (r < 0) { // past the end of a shorter file: the rest is zeros
                    SparseRamStore.zero(dst, dst.remaining());
                    break;
                }
                pos += r;
            }
        } finally {
            dst.limit(oldLimit);
        }
    }

    private void writeFully(long pos, ByteBuffer src) throws IOException {
        while (src.hasRemaining()) {
            pos += channel.write(src, pos);
        }
    }

    private void writeZeros(long pos, long n) throws IOException {
        while (n > 0) {
            int k = (int) Math.min(n, ZEROS.length);
            writeFully(pos, ByteBuffer.wrap(ZEROS, 0, k));
            pos += k;
            n -= k;
        }
    }
}
