package io.vhba.emulator.platform;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Simulated host RAM. Memory comes in 1 MiB chunks of 256 page frames, allocated lazily up
 * to a cap. Physical addresses start above 4 GiB so devices must do 64-bit DMA.
 *
 * <p>Data buffers get single frames from a free list filled in a scrambled order, so that
 * consecutive pages of one buffer are (almost) never physically adjacent: scatter/gather lists
 * are real. Contiguous allocations (uncached extensions) take whole chunks.
 *
 * <p>Each buffer also gets a kernel virtual address: {@code VA_BASE + slot << 32 + offset},
 * so that {@code StorPortGetPhysicalAddress} can map a virtual address back to its buffer.
 *
 * <p>Memory tracks the load: a chunk whose frames are all free again is given back (its frames leave the free list
 * and its buffer is dropped for the collector to free) once more than {@link #SPARE_CHUNKS} chunks' worth of frames
 * are free, so a burst of large transfers does not pin its peak for the life of the process. The chunk's frame
 * numbers, and so its physical addresses, are reused by the next chunk that grows the pool.
 */
public final class HostMemory {
    public static final int PAGE_SHIFT = 12;
    public static final int PAGE_SIZE = 1 << PAGE_SHIFT;
    static final int CHUNK_SHIFT = 8; // frames per chunk: 256
    static final int CHUNK_FRAMES = 1 << CHUNK_SHIFT;
    public static final long PHYS_BASE = 0x1_0000_0000L;
    public static final long VA_BASE = 0xFFFF_A000_0000_0000L;
    static final int VA_SLOT_SHIFT = 32;

    /** Free frames kept in the pool, in chunks, before a wholly free chunk is given back. */
    static final int SPARE_CHUNKS = 4;

    private final int maxChunks;
    private volatile ByteBuffer[] chunks = new ByteBuffer[0];
    /** Allocated frames per chunk; a scattered chunk at 0 may be given back. */
    private int[] chunkUsed = new int[0];
    /** Chunks that hold memory now (chunks.length less the ones given back). */
    private int liveChunks;
    private long chunksReleased;
    private volatile byte[] frameState = new byte[0]; // 0 free, 1 allocated
    private int[] freeFrames = new int[1024];
    private int freeTop;
    private volatile HostBuffer[] vaSlots = new HostBuffer[64];
    private int[] freeSlots = new int[64];
    private int freeSlotTop;
    private int nextSlot = 1;
    private long allocatedFrames;
    private long scatteredFrames;

    /** @param capacityBytes the most memory that may ever be allocated */
    public HostMemory(long capacityBytes) {
        this.maxChunks = (int) Math.max(1, capacityBytes >>> (PAGE_SHIFT + CHUNK_SHIFT));
    }

    public long capacityBytes() {
        return (long) maxChunks << (PAGE_SHIFT + CHUNK_SHIFT);
    }

    /** Bytes taken from the JVM so far: whole 1 MiB chunks, allocated lazily up to the capacity. */
    public long reservedBytes() {
        return (long) chunks.length << (PAGE_SHIFT + CHUNK_SHIFT);
    }

    /** Frames currently allocated. */
    public synchronized long allocatedPages() {
        return allocatedFrames;
    }

    /**
     * Frames of scattered buffers currently allocated: I/O data buffers and pool, what goes back when I/O
     * stops. Contiguous buffers (uncached extensions, SRB-extension slabs) live as long as their adapter.
     */
    public synchronized long scatteredPagesAllocated() {
        return scatteredFrames;
    }

    /**
     * Allocates {@code length} bytes on scattered pages.
     *
     * @throws OutOfHostMemoryException when the cap is reached
     */
    public HostBuffer allocate(int length) {
        int pages = Math.max(1, (length + PAGE_SIZE - 1) >>> PAGE_SHIFT);
        int[] frames = new int[pages];
        synchronized (this) {
            while (freeTop < pages) {
                if (!growScattered()) {
                    throw new OutOfHostMemoryException(length, capacityBytes());
                }
            }
            for (int i = 0; i < pages; i++) {
                frames[i] = freeFrames[--freeTop];
                frameState[frames[i]] = 1;
                chunkUsed[frames[i] >>> CHUNK_SHIFT]++;
            }
            allocatedFrames += pages;
            scatteredFrames += pages;
            return register(new HostBuffer(this, frames, length, false));
        }
    }

    /** Allocates {@code length} physically contiguous bytes (whole chunks), zeroed. */
    public HostBuffer allocateContiguous(int length) {
        int pages = Math.max(1, (length + PAGE_SIZE - 1) >>> PAGE_SHIFT);
        int chunksNeeded = (pages + CHUNK_FRAMES - 1) >>> CHUNK_SHIFT;
        synchronized (this) {
            if (liveChunks + chunksNeeded > maxChunks) {
                throw new OutOfHostMemoryException(length, capacityBytes());
            }
            int firstFrame = chunks.length << CHUNK_SHIFT;
            addChunks(chunksNeeded);
            int[] frames = new int[pages];
            for (int i = 0; i < pages; i++) {
                frames[i] = firstFrame + i;
                frameState[frames[i]] = 1;
                chunkUsed[frames[i] >>> CHUNK_SHIFT]++;
            }
            // The rest of the last chunk joins the scattered pool.
            for (int f = firstFrame + pages; f < chunks.length << CHUNK_SHIFT; f++) {
                pushFree(f);
            }
            allocatedFrames += pages;
            return register(new HostBuffer(this, frames, length, true));
        }
    }

    /** Returns a buffer's pages; the buffer must not be used afterwards. */
    synchronized void free(HostBuffer b) {
        for (int f : b.frames()) {
            if (frameState[f] != 1) {
                throw new IllegalStateException("page frame " + f + " freed twice");
            }
            frameState[f] = 0;
            pushFree(f);
            chunkUsed[f >>> CHUNK_SHIFT]--;
        }
        allocatedFrames -= b.frames().length;
        if (!b.isContiguous()) {
            scatteredFrames -= b.frames().length;
        }
        if (freeTop > (SPARE_CHUNKS + 1) * CHUNK_FRAMES) {
            releaseIdleChunks(b.frames());
        }
        vaSlots[b.slot()] = null;
        if (freeSlotTop == freeSlots.length) {
            freeSlots = Arrays.copyOf(freeSlots, freeSlots.length * 2);
        }
        freeSlots[freeSlotTop++] = b.slot();
    }

    private HostBuffer register(HostBuffer b) {
        int slot;
        if (freeSlotTop > 0) {
            slot = freeSlots[--freeSlotTop];
        } else {
            slot = nextSlot++;
            if (slot >= vaSlots.length) {
                vaSlots = Arrays.copyOf(vaSlots, vaSlots.length * 2);
            }
        }
        b.bind(slot, VA_BASE + ((long) slot << VA_SLOT_SHIFT));
        HostBuffer[] s = vaSlots;
        s[slot] = b;
        vaSlots = s; // publish
        return b;
    }

    /** The buffer a kernel virtual address lies in, or null. */
    public HostBuffer bufferAt(long virtualAddress) {
        long rel = virtualAddress - VA_BASE;
        if (rel < 0) {
            return null;
        }
        long slot = rel >>> VA_SLOT_SHIFT;
        HostBuffer[] s = vaSlots;
        if (slot >= s.length) {
            return null;
        }
        HostBuffer b = s[(int) slot];
        if (b == null || (rel & 0xFFFF_FFFFL) >= b.length()) {
            return null;
        }
        return b;
    }

    /**
     * Gives back the chunks among those {@code frames} lie in that are wholly free, while more than
     * {@link #SPARE_CHUNKS} chunks' worth of frames stay free. Their frames leave the free list; the buffer goes to
     * the collector (nothing else references it: every view of it belonged to a buffer that was freed).
     */
    private void releaseIdleChunks(int[] frames) {
        for (int f : frames) {
            int c = f >>> CHUNK_SHIFT;
            if (chunkUsed[c] != 0 || chunks[c] == null || freeTop <= (SPARE_CHUNKS + 1) * CHUNK_FRAMES) {
                continue;
            }
            int kept = 0;
            for (int i = 0; i < freeTop; i++) {
                if (freeFrames[i] >>> CHUNK_SHIFT != c) {
                    freeFrames[kept++] = freeFrames[i];
                }
            }
            freeTop = kept;
            ByteBuffer[] next = chunks.clone();
            next[c] = null;
            chunks = next;
            liveChunks--;
            chunksReleased++;
        }
    }

    /** Bytes of chunks held now. */
    public synchronized long residentBytes() {
        return (long) liveChunks << (PAGE_SHIFT + CHUNK_SHIFT);
    }

    /** Chunks given back since the start. */
    public synchronized long chunksReleased() {
        return chunksReleased;
    }

    private boolean growScattered() {
        if (liveChunks >= maxChunks) {
            return false;
        }
        int first = reuseReleasedChunk();
        if (first < 0) {
            first = chunks.length << CHUNK_SHIFT;
            addChunks(1);
        }
        // A stride permutation of the chunk's frames (97 is odd, so it visits all 256) keeps
        // neighbours in the free list far apart in physical memory.
        for (int i = 0; i < CHUNK_FRAMES; i++) {
            pushFree(first + ((i * 97) & (CHUNK_FRAMES - 1)));
        }
        return true;
    }

    private void addChunks(int n) {
        ByteBuffer[] c = Arrays.copyOf(chunks, chunks.length + n);
        for (int i = chunks.length; i < c.length; i++) {
            c[i] = newChunk();
        }
        byte[] st = Arrays.copyOf(frameState, c.length << CHUNK_SHIFT);
        chunkUsed = Arrays.copyOf(chunkUsed, c.length);
        frameState = st;
        chunks = c;
        liveChunks += n;
    }

    /** A chunk slot given back earlier, filled again; its first frame, or -1 when there is none. */
    private int reuseReleasedChunk() {
        ByteBuffer[] c = chunks;
        for (int i = 0; i < c.length; i++) {
            if (c[i] == null) {
                ByteBuffer[] next = c.clone();
                next[i] = newChunk();
                chunks = next;
                liveChunks++;
                return i << CHUNK_SHIFT;
            }
        }
        return -1;
    }

    private static ByteBuffer newChunk() {
        return ByteBuffer.allocateDirect(CHUNK_FRAMES * PAGE_SIZE).order(ByteOrder.LITTLE_ENDIAN);
    }

    private void pushFree(int frame) {
        if (freeTop == freeFrames.length) {
            freeFrames = Arrays.copyOf(freeFrames, freeFrames.length * 2);
        }
        freeFrames[freeTop++] = frame;
    }

    // ---- physical access ----------------------------------------------------------------

    public static long physicalAddressOf(int frame) {
        return PHYS_BASE + ((long) frame << PAGE_SHIFT);
    }

    /** The frame number of a physical address, or -1 if it is outside RAM. */
    int frameOf(long physicalAddress) {
        long rel = physicalAddress - PHYS_BASE;
        if (rel < 0) {
            return -1;
        }
        long f = rel >>> PAGE_SHIFT;
        return f < ((long) chunks.length << CHUNK_SHIFT) ? (int) f : -1;
    }

    boolean isAllocated(int frame) {
        byte[] st = frameState;
        return frame >= 0 && frame < st.length && st[frame] == 1;
    }

    /** The chunk buffer holding {@code frame}. Positions/limits of the result must not be changed. */
    ByteBuffer chunkOf(int frame) {
        return chunks[frame >>> CHUNK_SHIFT];
    }

    static int offsetInChunk(int frame) {
        return (frame & (CHUNK_FRAMES - 1)) << PAGE_SHIFT;
    }
}
