package io.vhba.emulator.scsi.disk;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A store in a regular file, through positional {@link FileChannel} I/O (thread-safe, no lock on the data path).
 *
 * <p>Provisioning. Java has no portable hole punching, so deallocation is tracked in a bitmap of
 * {@link #mappingGranularity() granules} instead: a deallocated granule reads as zeros without touching the file, and
 * the first write to it zero-fills the whole granule in the file before marking it mapped, so stale bytes never
 * reappear. The bitmap is persisted beside the file ({@code <file>.map}) on every {@link #flush()} and
 * {@link #close()}, after the data is forced, so a crash loses at most unflushed writes and deallocations (the same
 * promise a volatile write cache makes). A file opened without a valid map is treated as fully mapped when it already
 * had content, and as fully deallocated when it was created empty.
 */
public final class FileStore implements BackingStore, Closeable {

    public static final int DEFAULT_GRANULARITY = 64 * 1024;
    /** PRE-FETCH ranges up to this size are read into the OS page cache; longer ones do not fit (SBC-4 5.9). */
    static final long PREFETCH_LIMIT = 64L << 20;
    private static final byte[] MAGIC = {'V', 'H', 'B', 'A', 'M', 'A', 'P', '1'};
    private static final int HEADER = 32;
    private static final int STRIPES = 64;
    private static final byte[] ZEROS = new byte[64 * 1024];

    private final Path path;
    private final Path mapPath;
    private final FileChannel channel;
    private final int granularity;
    private final int granuleShift;
    // volatile: changed by resize, which runs alone on the data path but must publish to the threads after it
    private volatile long capacity;
    private volatile long granules;
    private volatile AtomicLongArray bitmap;
    /** Counts resizes, so that a flush does not persist a map image taken before one (see {@link #flush()}). */
    private long generation;
    private final Object[] mapLocks = new Object[STRIPES];
    private final AtomicBoolean mapDirty = new AtomicBoolean();
    private final Object persistLock = new Object();

    private FileStore(Path path, FileChannel channel, long capacity, int granularity, boolean hadContent)
            throws IOException {
        this.path = path;
        this.mapPath = path.resolveSibling(path.getFileName() + ".map");
        this.channel = channel;
        this.capacity = capacity;
        this.granularity = granularity;
        this.granuleShift = Integer.numberOfTrailingZeros(granularity);
        this.granules = granulesFor(capacity);
        this.bitmap = new AtomicLongArray(words(granules));
        for (int i = 0; i < STRIPES; i++) {
            mapLocks[i] = new Object();
        }
        if (!loadMap() && hadContent) {
            for (long g = 0; g < granules; g++) {
                setMapped(g);
            }
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

    @Override
    public void flush() throws IOException {
        // Snapshot the map before forcing: every bit in the snapshot had its zero-fill written before it was set,
        // so the force below makes the snapshot safe to persist.
        MapImage snapshot = mapDirty.getAndSet(false) ? snapshot() : null;
        channel.force(false); // fdatasync: file content plus the metadata needed to read it back
        if (snapshot != null) {
            try {
                persistMap(snapshot);
            } catch (IOException e) {
                mapDirty.set(true);
                throw e;
            }
        }
    }

    /**
     * Truncates or extends the file to {@code newCapacity} and resizes the map to match; granules past the old end
     * are deallocated. When growing, the tail of a mapped granule the old end cut is zeroed in the file first: the
     * file may be longer than the capacity was, and those bytes now lie inside the medium. The file and the map are
     * then forced and persisted, so a restart with the new capacity finds a map that fits.
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
            AtomicLongArray resized = new AtomicLongArray(words(newGranules));
            long kept = Math.min(granules, newGranules);
            for (int i = 0, n = words(kept); i < n; i++) { // the granules both sizes share keep their state
                long word = bitmap.get(i);
                int bits = (int) Math.min(64, kept - ((long) i << 6));
                resized.set(i, bits == 64 ? word : word & ((1L << bits) - 1));
            }
            bitmap = resized;
            granules = newGranules;
            capacity = newCapacity;
            generation++;
            mapDirty.set(false);
            MapImage image = snapshot();
            try {
                channel.force(false);
                persistMap(image);
            } catch (IOException e) {
                mapDirty.set(true); // the next flush persists it
                throw e;
            }
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
                if (clearMapped(g)) {
                    mapDirty.set(true);
                }
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
        long g = Math.min(offset >>> granuleShift, granules - 1);
        boolean mapped = isMapped(g);
        long next = nextGranuleDiffering(g + 1, mapped);
        long end = Math.min(limit, next >= granules ? capacity : granuleStart(next));
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

    @Override
    public void close() throws IOException {
        try {
            flush();
        } finally {
            channel.close();
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
        return (bitmap.get((int) (g >>> 6)) & (1L << (g & 63))) != 0;
    }

    private void setMapped(long g) {
        int i = (int) (g >>> 6);
        long bit = 1L << (g & 63);
        long v;
        do {
            v = bitmap.get(i);
        } while ((v & bit) == 0 && !bitmap.compareAndSet(i, v, v | bit));
    }

    private boolean clearMapped(long g) {
        int i = (int) (g >>> 6);
        long bit = 1L << (g & 63);
        long v;
        do {
            v = bitmap.get(i);
            if ((v & bit) == 0) {
                return false;
            }
        } while (!bitmap.compareAndSet(i, v, v & ~bit));
        return true;
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
            setMapped(g);
            mapDirty.set(true);
            return whole;
        }
    }

    private long nextGranuleDiffering(long g, boolean mapped) {
        while (g < granules) {
            int i = (int) (g >>> 6);
            long word = bitmap.get(i);
            long differing = (mapped ? ~word : word) & (-1L << (g & 63));
            if (differing != 0) {
                return Math.min(granules, ((long) i << 6) + Long.numberOfTrailingZeros(differing));
            }
            g = ((long) i + 1) << 6;
        }
        return granules;
    }

    /** The map as it is, with the capacity and resize generation it belongs to. */
    private record MapImage(long capacity, long generation, long[] words) {}

    private MapImage snapshot() {
        synchronized (persistLock) { // a consistent capacity, generation and bitmap: resize holds this lock
            AtomicLongArray map = bitmap;
            long[] s = new long[map.length()];
            for (int i = 0; i < s.length; i++) {
                s[i] = map.get(i);
            }
            return new MapImage(capacity, generation, s);
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

    private static int words(long granules) {
        return (int) ((granules + 63) >>> 6);
    }

    private boolean loadMap() throws IOException {
        if (!Files.isRegularFile(mapPath)) {
            return false;
        }
        try (FileChannel in = FileChannel.open(mapPath, StandardOpenOption.READ)) {
            ByteBuffer header = ByteBuffer.allocate(HEADER);
            while (header.hasRemaining() && in.read(header) >= 0) {
                // keep reading
            }
            header.flip();
            if (header.remaining() < HEADER) {
                return false;
            }
            byte[] magic = new byte[MAGIC.length];
            header.get(magic);
            if (!java.util.Arrays.equals(magic, MAGIC) || header.getLong() != capacity
                    || header.getInt() != granularity) {
                return false;
            }
            header.getInt();
            if (header.getLong() != bitmap.length()) {
                return false;
            }
            ByteBuffer words = ByteBuffer.allocate(64 * 1024);
            int index = 0;
            while (index < bitmap.length()) {
                words.clear().limit((int) Math.min(words.capacity(), (long) (bitmap.length() - index) * 8));
                while (words.hasRemaining()) {
                    if (in.read(words) < 0) {
                        return false;
                    }
                }
                words.flip();
                while (words.hasRemaining()) {
                    bitmap.set(index++, words.getLong());
                }
            }
            return true;
        }
    }

    private void persistMap(MapImage image) throws IOException {
        synchronized (persistLock) {
            if (image.generation() != generation) {
                return; // taken before a resize, which persisted the map as it is now
            }
            long[] words = image.words();
            Path tmp = mapPath.resolveSibling(mapPath.getFileName() + ".tmp");
            try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer header = ByteBuffer.allocate(HEADER);
                header.put(MAGIC).putLong(image.capacity()).putInt(granularity).putInt(0).putLong(words.length).flip();
                writeAll(out, header);
                ByteBuffer chunk = ByteBuffer.allocate(64 * 1024);
                for (long w : words) {
                    if (!chunk.hasRemaining()) {
                        writeAll(out, chunk.flip());
                        chunk.clear();
                    }
                    chunk.putLong(w);
                }
                writeAll(out, chunk.flip());
                out.force(true);
            }
            Files.move(tmp, mapPath, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            forceDirectory(mapPath.toAbsolutePath().getParent());
        }
    }

    /** Makes the rename durable where the platform allows opening a directory (Linux does; Windows does not). */
    private static void forceDirectory(Path dir) {
        if (dir == null) {
            return;
        }
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException e) {
            // not supported on this platform; the map file itself is already forced
        }
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

    private static void writeAll(FileChannel out, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            out.write(b);
        }
    }
}
