package io.vhba.emulator.scsi.disk;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * A store in heap memory, allocated lazily in chunks. A two-level directory (a root array of lazily created leaf
 * tables of chunk references) keeps an unwritten 16 TiB store at a root of 16 Ki references; chunks and leaves are
 * installed with compare-and-set, so writers never take a lock. A chunk is the provisioning unit: never written or
 * wholly deallocated means absent, and absent reads as zeros.
 *
 * <p>There is no medium behind the memory, so {@link #flush()} has nothing to force and {@link #prefetch} reports no
 * cache.
 *
 * <p>The chunks live on the heap and are paid for from a {@link RamBudget}: a thick store reserves its capacity when it
 * opens, a thin one a chunk at a time, so a write that would outgrow the heap fails with
 * {@link SpaceAllocationFailedException} (the disk answers DATA PROTECT / SPACE ALLOCATION FAILED WRITE PROTECT)
 * instead of an {@link OutOfMemoryError}. {@link #close()} gives everything back.
 */
public final class SparseRamStore implements BackingStore, Closeable {

    /** The default chunk: 64 KiB. */
    public static final int DEFAULT_CHUNK_SIZE = 64 * 1024;
    private static final int LEAF_SHIFT = 14;
    private static final int LEAF_SIZE = 1 << LEAF_SHIFT;

    // volatile: changed by resize, which runs alone but must publish to the threads that come after it
    private volatile long capacity;
    private final int chunkShift;
    private final int chunkSize;
    private volatile AtomicReferenceArray<AtomicReferenceArray<byte[]>> root;
    private final AtomicLong allocatedChunks = new AtomicLong();
    private final RamBudget budget;
    /** Bytes a thick store reserved for its whole capacity; 0 for a thin one, which pays per chunk. */
    private volatile long reserved;
    private final boolean thick;

    public SparseRamStore(long capacity) {
        this(capacity, DEFAULT_CHUNK_SIZE);
    }

    public SparseRamStore(long capacity, int chunkSize) {
        this(capacity, chunkSize, RamBudget.UNLIMITED, false);
    }

    /**
     * A store drawing on {@code budget}: a {@code thick} one reserves its whole capacity now.
     *
     * @throws InsufficientRamException when a thick store's capacity does not fit in what the budget has left
     */
    public static SparseRamStore open(long capacity, RamBudget budget, boolean thick) {
        return new SparseRamStore(capacity, DEFAULT_CHUNK_SIZE, budget, thick);
    }

    /**
     * @param capacity  size in bytes
     * @param chunkSize allocation and provisioning unit: a power of two from 4 KiB to 1 MiB
     */
    private SparseRamStore(long capacity, int chunkSize, RamBudget budget, boolean thick) {
        if (Integer.bitCount(chunkSize) != 1 || chunkSize < 4096 || chunkSize > (1 << 20)) {
            throw new IllegalArgumentException("chunkSize must be a power of two from 4 KiB to 1 MiB");
        }
        this.chunkSize = chunkSize;
        this.chunkShift = Integer.numberOfTrailingZeros(chunkSize);
        this.capacity = capacity;
        this.root = new AtomicReferenceArray<>(leavesFor(capacity));
        this.budget = budget;
        this.thick = thick;
        if (thick) {
            if (!budget.tryTake(capacity)) {
                throw new InsufficientRamException(capacity, budget);
            }
            reserved = capacity;
        }
    }

    /** Whether the whole capacity was reserved up front. */
    public boolean thick() {
        return thick;
    }

    /** The root size for {@code capacity}; refuses a capacity that is not positive or needs too many leaves. */
    private int leavesFor(long capacity) {
        if (capacity <= 0) {
            throw new IllegalArgumentException("capacity must be positive, not " + capacity);
        }
        long chunks = ((capacity - 1) >>> chunkShift) + 1;
        long leaves = ((chunks - 1) >>> LEAF_SHIFT) + 1;
        if (leaves > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("capacity " + capacity + " too large for chunk size " + chunkSize);
        }
        return (int) leaves;
    }

    @Override
    public long capacity() {
        return capacity;
    }

    @Override
    public int mappingGranularity() {
        return chunkSize;
    }

    /** Bytes of memory currently held by chunks. */
    public long allocatedBytes() {
        return allocatedChunks.get() * chunkSize;
    }

    @Override
    public void read(long offset, ByteBuffer dst) {
        BackingStore.checkRange(offset, dst.remaining(), capacity);
        while (dst.hasRemaining()) {
            long chunk = offset >>> chunkShift;
            int within = (int) (offset & (chunkSize - 1));
            int n = Math.min(dst.remaining(), chunkSize - within);
            byte[] data = chunk(chunk);
            if (data == null) {
                zero(dst, n);
            } else {
                dst.put(data, within, n);
            }
            offset += n;
        }
    }

    @Override
    public void write(long offset, ByteBuffer src) throws SpaceAllocationFailedException {
        BackingStore.checkRange(offset, src.remaining(), capacity);
        while (src.hasRemaining()) {
            long chunk = offset >>> chunkShift;
            int within = (int) (offset & (chunkSize - 1));
            int n = Math.min(src.remaining(), chunkSize - within);
            src.get(chunkForWrite(chunk), within, n);
            offset += n;
        }
    }

    @Override
    public void flush() {
        // Memory is the medium here: completed writes are already as durable as this store can make them.
    }

    @Override
    public void deallocate(long offset, long length) {
        BackingStore.checkRange(offset, length, capacity);
        long end = offset + length;
        while (offset < end) {
            long chunk = offset >>> chunkShift;
            int within = (int) (offset & (chunkSize - 1));
            int n = (int) Math.min(end - offset, chunkSize - within);
            AtomicReferenceArray<byte[]> leaf = root.get((int) (chunk >>> LEAF_SHIFT));
            if (leaf != null) {
                int slot = (int) (chunk & (LEAF_SIZE - 1));
                if (n == chunkSize || isLastPartialChunk(chunk, within, n)) {
                    if (leaf.getAndSet(slot, null) != null) {
                        dropped();
                    }
                } else {
                    byte[] data = leaf.get(slot);
                    if (data != null) {
                        Arrays.fill(data, within, within + n, (byte) 0);
                    }
                }
            }
            offset += n;
        }
    }

    @Override
    public MappingExtent extent(long offset, long maxLength) {
        BackingStore.checkRange(offset, 0, capacity);
        long limit = offset + Math.min(Math.max(maxLength, 0), capacity - offset);
        if (offset >= limit) {
            return new MappingExtent(chunk(offset >>> chunkShift) != null, 0);
        }
        boolean mapped = chunk(offset >>> chunkShift) != null;
        long pos = ((offset >>> chunkShift) + 1) << chunkShift;
        while (pos < limit) {
            long chunk = pos >>> chunkShift;
            if (!mapped && root.get((int) (chunk >>> LEAF_SHIFT)) == null && (chunk & (LEAF_SIZE - 1)) == 0) {
                pos += (long) LEAF_SIZE << chunkShift; // a missing leaf is a whole run of absent chunks
                continue;
            }
            if ((chunk(chunk) != null) != mapped) {
                break;
            }
            pos += chunkSize;
        }
        return new MappingExtent(mapped, Math.min(pos, limit) - offset);
    }

    @Override
    public boolean prefetch(long offset, long length) {
        BackingStore.checkRange(offset, length, capacity);
        return false;
    }

    /**
     * Grows or shrinks the directory. Shrinking zeroes the tail of a chunk the new end cuts (so a later growth reads
     * zeros there) and drops every chunk after it; growing adds absent chunks, which read as zeros. Past the old end
     * nothing is held: writes stop at the capacity, and a shrink zeroed or dropped what lay beyond it.
     */
    @Override
    public void resize(long newCapacity) throws SpaceAllocationFailedException {
        int leaves = leavesFor(newCapacity);
        if (thick && newCapacity > reserved) {
            if (!budget.tryTake(newCapacity - reserved)) {
                throw new SpaceAllocationFailedException("growing a thick RAM disk to " + RamBudget.Sizes.mib(newCapacity)
                        + " needs " + RamBudget.Sizes.mib(newCapacity - reserved) + " more heap than the "
                        + RamBudget.Sizes.mib(budget.available()) + " left for RAM disks");
            }
            reserved = newCapacity;
        }
        AtomicReferenceArray<AtomicReferenceArray<byte[]>> old = root;
        if (newCapacity < capacity) {
            long lastChunk = (newCapacity - 1) >>> chunkShift;
            int within = (int) (newCapacity & (chunkSize - 1));
            byte[] cut = chunk(lastChunk);
            if (within != 0 && cut != null) {
                Arrays.fill(cut, within, chunkSize, (byte) 0);
            }
            for (long c = lastChunk + 1, end = ((capacity - 1) >>> chunkShift) + 1; c < end; ) {
                AtomicReferenceArray<byte[]> leaf = old.get((int) (c >>> LEAF_SHIFT));
                if (leaf == null) {
                    c = ((c >>> LEAF_SHIFT) + 1) << LEAF_SHIFT; // a missing leaf holds no chunk
                    continue;
                }
                if (leaf.getAndSet((int) (c & (LEAF_SIZE - 1)), null) != null) {
                    dropped();
                }
                c++;
            }
        }
        AtomicReferenceArray<AtomicReferenceArray<byte[]>> next = new AtomicReferenceArray<>(leaves);
        for (int i = 0; i < Math.min(leaves, old.length()); i++) {
            next.set(i, old.get(i));
        }
        root = next;
        capacity = newCapacity;
        if (thick && newCapacity < reserved) {
            budget.give(reserved - newCapacity);
            reserved = newCapacity;
        }
    }

    /** Drops every chunk and gives the store's memory back to its budget; the store must not be used afterwards. */
    @Override
    public void close() {
        long chunks = allocatedChunks.getAndSet(0);
        root = new AtomicReferenceArray<>(0);
        if (thick) {
            budget.give(reserved);
            reserved = 0;
        } else {
            budget.give(chunks * chunkSize);
        }
    }

    /** A chunk left the directory: a thin store gives its memory back. */
    private void dropped() {
        allocatedChunks.decrementAndGet();
        if (!thick) {
            budget.give(chunkSize);
        }
    }

    /** The final chunk may be shorter than chunkSize when the capacity is not a multiple of it. */
    private boolean isLastPartialChunk(long chunk, int within, int n) {
        return within == 0 && ((chunk << chunkShift) + n) == capacity;
    }

    private byte[] chunk(long chunk) {
        AtomicReferenceArray<byte[]> leaf = root.get((int) (chunk >>> LEAF_SHIFT));
        return leaf == null ? null : leaf.get((int) (chunk & (LEAF_SIZE - 1)));
    }

    private byte[] chunkForWrite(long chunk) throws SpaceAllocationFailedException {
        int leafIndex = (int) (chunk >>> LEAF_SHIFT);
        AtomicReferenceArray<byte[]> leaf = root.get(leafIndex);
        if (leaf == null) {
            AtomicReferenceArray<byte[]> fresh = new AtomicReferenceArray<>(LEAF_SIZE);
            leaf = root.compareAndSet(leafIndex, null, fresh) ? fresh : root.get(leafIndex);
        }
        int slot = (int) (chunk & (LEAF_SIZE - 1));
        byte[] data;
        // Loop: a concurrent deallocate may drop the chunk between our failed CAS and the re-read.
        while ((data = leaf.get(slot)) == null) {
            byte[] fresh = newChunk();
            if (leaf.compareAndSet(slot, null, fresh)) {
                allocatedChunks.incrementAndGet();
                return fresh;
            }
            if (!thick) {
                budget.give(chunkSize); // another writer installed the chunk first
            }
        }
        return data;
    }

    /** A chunk paid for from the budget (a thin store's), or refused when the budget or the heap has no room for it. */
    private byte[] newChunk() throws SpaceAllocationFailedException {
        if (!thick && !budget.tryTake(chunkSize)) {
            throw new SpaceAllocationFailedException("the RAM disks hold " + budget + " of heap; no room for another "
                    + (chunkSize >> 10) + " KiB chunk");
        }
        try {
            return new byte[chunkSize];
        } catch (OutOfMemoryError e) {
            if (!thick) {
                budget.give(chunkSize);
            }
            throw new SpaceAllocationFailedException("the heap is full: " + e.getMessage());
        }
    }

    private static final byte[] ZEROS = new byte[4096];

    static void zero(ByteBuffer dst, int n) {
        while (n > 0) {
            int k = Math.min(n, ZEROS.length);
            dst.put(ZEROS, 0, k);
            n -= k;
        }
    }
}
