package io.vhba.emulator.platform;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.vhba.miniport.MemoryBuffer;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A buffer in simulated host memory: a virtual range over page frames that are in general
 * not physically contiguous (an MDL, in Windows terms). Reference counted: the frames go back
 * to {@link HostMemory} when the last holder releases it (for example both the completed SRB
 * and the network write that sends its data).
 */
public final class HostBuffer implements MemoryBuffer {
    private static final int PAGE_MASK = HostMemory.PAGE_SIZE - 1;

    private final HostMemory memory;
    private final int[] frames;
    private final int length;
    private final boolean contiguous;
    private final AtomicInteger refCnt = new AtomicInteger(1);
    private int slot;
    private long virtualAddress;
    /** The quota the pages are charged to, if any (set once, before the buffer is shared). */
    private HostMemoryQuota quota;
    private long quotaBytes;

    HostBuffer(HostMemory memory, int[] frames, int length, boolean contiguous) {
        this.memory = memory;
        this.frames = frames;
        this.length = length;
        this.contiguous = contiguous;
    }

    void bind(int slot, long virtualAddress) {
        this.slot = slot;
        this.virtualAddress = virtualAddress;
    }

    void chargeTo(HostMemoryQuota q, long bytes) {
        this.quota = q;
        this.quotaBytes = bytes;
    }

    int[] frames() {
        return frames;
    }

    int slot() {
        return slot;
    }

    public boolean isContiguous() {
        return contiguous;
    }

    public int pageCount() {
        return frames.length;
    }

    // ---- reference counting -------------------------------------------------------------

    public HostBuffer retain() {
        if (refCnt.getAndIncrement() <= 0) {
            throw new IllegalStateException("HostBuffer already freed");
        }
        return this;
    }

    /** Drops a reference; frees the pages at zero. */
    public void release() {
        int n = refCnt.decrementAndGet();
        if (n == 0) {
            memory.free(this);
            if (quota != null) {
                quota.credit(quotaBytes);
            }
        } else if (n < 0) {
            throw new IllegalStateException("HostBuffer released too often");
        }
    }

    public int refCnt() {
        return refCnt.get();
    }

    // ---- addresses ----------------------------------------------------------------------

    @Override
    public long virtualAddress() {
        return virtualAddress;
    }

    @Override
    public int length() {
        return length;
    }

    /** The physical address of byte {@code offset}. */
    public long physicalAddress(int offset) {
        checkIndex(offset, 1);
        return HostMemory.physicalAddressOf(frames[offset >>> HostMemory.PAGE_SHIFT]) + (offset & PAGE_MASK);
    }

    /** How many bytes from {@code offset} are physically contiguous (to the end of the buffer at most). */
    public int contiguousLength(int offset) {
        checkIndex(offset, 1);
        int page = offset >>> HostMemory.PAGE_SHIFT;
        int run = HostMemory.PAGE_SIZE - (offset & PAGE_MASK);
        while (page + 1 < frames.length && frames[page + 1] == frames[page] + 1) {
            page++;
            run += HostMemory.PAGE_SIZE;
        }
        return Math.min(run, length - offset);
    }

    // ---- MemoryBuffer -------------------------------------------------------------------

    @Override
    public byte getByte(int offset) {
        VarHandle.acquireFence();
        checkIndex(offset, 1);
        int f = frames[offset >>> HostMemory.PAGE_SHIFT];
        return memory.chunkOf(f).get(HostMemory.offsetInChunk(f) + (offset & PAGE_MASK));
    }

    @Override
    public void putByte(int offset, byte value) {
        checkIndex(offset, 1);
        int f = frames[offset >>> HostMemory.PAGE_SHIFT];
        memory.chunkOf(f).put(HostMemory.offsetInChunk(f) + (offset & PAGE_MASK), value);
    }

    @Override
    public short getShort(int offset) {
        if (inOnePage(offset, 2)) {
            int f = frames[offset >>> HostMemory.PAGE_SHIFT];
            return memory.chunkOf(f).getShort(HostMemory.offsetInChunk(f) + (offset & PAGE_MASK));
        }
        return (short) (getByte(offset) & 0xFF | (getByte(offset + 1) & 0xFF) << 8);
    }

    @Override
    public int getInt(int offset) {
        if (inOnePage(offset, 4)) {
            int f = frames[offset >>> HostMemory.PAGE_SHIFT];
            return memory.chunkOf(f).getInt(HostMemory.offsetInChunk(f) + (offset & PAGE_MASK));
        }
        return getShort(offset) & 0xFFFF | (getShort(offset + 2) & 0xFFFF) << 16;
    }

    @Override
    public long getLong(int offset) {
        if (inOnePage(offset, 8)) {
            int f = frames[offset >>> HostMemory.PAGE_SHIFT];
            return memory.chunkOf(f).getLong(HostMemory.offsetInChunk(f) + (offset & PAGE_MASK));
        }
        return getInt(offset) & 0xFFFF_FFFFL | ((long) getInt(offset + 4)) << 32;
    }

    @Override
    public void putShort(int offset, short value) {
        if (inOnePage(offset, 2)) {
            int f = frames[offset >>> HostMemory.PAGE_SHIFT];
            memory.chunkOf(f).putShort(HostMemory.offsetInChunk(f) + (offset & PAGE_MASK), value);
        } else {
            putByte(offset, (byte) value);
            putByte(offset + 1, (byte) (value >> 8));
        }
    }

    @Override
    public void putInt(int offset, int value) {
        if (inOnePage(offset, 4)) {
            int f = frames[offset >>> HostMemory.PAGE_SHIFT];
            memory.chunkOf(f).putInt(HostMemory.offsetInChunk(f) + (offset & PAGE_MASK), value);
        } else {
            putShort(offset, (short) value);
            putShort(offset + 2, (short) (value >>> 16));
        }
    }

    @Override
    public void putLong(int offset, long value) {
        if (inOnePage(offset, 8)) {
            int f = frames[offset >>> HostMemory.PAGE_SHIFT];
            memory.chunkOf(f).putLong(HostMemory.offsetInChunk(f) + (offset & PAGE_MASK), value);
        } else {
            putInt(offset, (int) value);
            putInt(offset + 4, (int) (value >>> 32));
        }
    }

    @Override
    public void get(int offset, byte[] dst, int dstOffset, int len) {
        checkIndex(offset, len);
        while (len > 0) {
            int f = frames[offset >>> HostMemory.PAGE_SHIFT];
            int n = Math.min(len, HostMemory.PAGE_SIZE - (offset & PAGE_MASK));
            memory.chunkOf(f).get(HostMemory.offsetInChunk(f) + (offset & PAGE_MASK), dst, dstOffset, n);
            offset += n;
            dstOffset += n;
            len -= n;
        }
    }

    @Override
    public void put(int offset, byte[] src, int srcOffset, int len) {
        checkIndex(offset, len);
        while (len > 0) {
            int f = frames[offset >>> HostMemory.PAGE_SHIFT];
            int n = Math.min(len, HostMemory.PAGE_SIZE - (offset & PAGE_MASK));
            memory.chunkOf(f).put(HostMemory.offsetInChunk(f) + (offset & PAGE_MASK), src, srcOffset, n);
            offset += n;
            srcOffset += n;
            len -= n;
        }
    }

    @Override
    public void fill(int offset, int len, byte value) {
        checkIndex(offset, len);
        for (int i = 0; i < len; i++) {
            putByte(offset + i, value);
        }
    }

    @Override
    public MemoryBuffer slice(int offset, int len) {
        checkIndex(offset, len);
        return new HostBufferSlice(this, offset, len);
    }

    // ---- bulk moves for the transport ---------------------------------------------------

    /** Copies {@code len} readable bytes of {@code src} into this buffer at {@code offset}. */
    public void writeFrom(int offset, ByteBuf src, int len) {
        checkIndex(offset, len);
        int from = src.readerIndex();
        while (len > 0) {
            int f = frames[offset >>> HostMemory.PAGE_SHIFT];
            int n = Math.min(len, HostMemory.PAGE_SIZE - (offset & PAGE_MASK));
            ByteBuffer dst = memory.chunkOf(f).duplicate();
            int at = HostMemory.offsetInChunk(f) + (offset & PAGE_MASK);
            dst.limit(at + n).position(at);
            src.getBytes(from, dst);
            from += n;
            offset += n;
            len -= n;
        }
    }

    /**
     * A zero-copy view of {@code len} bytes from {@code offset} for a network write that takes care of this buffer's
     * lifetime itself: each page of the view holds a reference and drops it when Netty releases the view, so the
     * caller needs no write listener. A range within one page is a single buffer, not a composite.
     */
    public ByteBuf retainedView(int offset, int len) {
        checkIndex(offset, len);
        if (len == 0) {
            return Unpooled.EMPTY_BUFFER;
        }
        int pages = ((offset & PAGE_MASK) + len + HostMemory.PAGE_SIZE - 1) >>> HostMemory.PAGE_SHIFT;
        if (pages == 1) {
            return HostPageViews.of(pageRange(offset, len), this);
        }
        CompositeByteBuf c = Unpooled.compositeBuffer(pages);
        while (len > 0) {
            int n = Math.min(len, HostMemory.PAGE_SIZE - (offset & PAGE_MASK));
            c.addComponent(true, HostPageViews.of(pageRange(offset, n), this));
            offset += n;
            len -= n;
        }
        return c;
    }

    /** The chunk's memory under {@code [offset, offset + n)}, which lies in one page, as a positioned duplicate. */
    private ByteBuffer pageRange(int offset, int n) {
        int f = frames[offset >>> HostMemory.PAGE_SHIFT];
        ByteBuffer view = memory.chunkOf(f).duplicate();
        int at = HostMemory.offsetInChunk(f) + (offset & PAGE_MASK);
        view.limit(at + n).position(at);
        return view;
    }

    /** Copies {@code dst.remaining()} bytes from {@code offset}. */
    public void readInto(int offset, ByteBuffer dst) {
        int len = dst.remaining();
        checkIndex(offset, len);
        while (len > 0) {
            int f = frames[offset >>> HostMemory.PAGE_SHIFT];
            int n = Math.min(len, HostMemory.PAGE_SIZE - (offset & PAGE_MASK));
            dst.put(dst.position(), memory.chunkOf(f), HostMemory.offsetInChunk(f) + (offset & PAGE_MASK), n);
            dst.position(dst.position() + n);
            offset += n;
            len -= n;
        }
    }

    private boolean inOnePage(int offset, int size) {
        // A driver read must not be reordered before an earlier one: the device writes a
        // completion's payload before its phase bit, and the driver reads them the other way.
        VarHandle.acquireFence();
        checkIndex(offset, size);
        return (offset & PAGE_MASK) + size <= HostMemory.PAGE_SIZE;
    }

    private void checkIndex(int offset, int size) {
        if (offset < 0 || size < 0 || offset + size > length) {
            throw new IndexOutOfBoundsException("access [" + offset + ", +" + size + ") outside buffer of " + length
                    + " bytes at VA 0x" + Long.toHexString(virtualAddress));
        }
    }

    @Override
    public String toString() {
        return String.format("HostBuffer[VA 0x%X, %d bytes, %d pages%s]", virtualAddress, length, frames.length,
                contiguous ? ", contiguous" : "");
    }
}
