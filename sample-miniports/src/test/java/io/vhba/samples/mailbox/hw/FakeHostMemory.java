package io.vhba.samples.mailbox.hw;

import io.vhba.hw.Dma;
import io.vhba.hw.DmaFault;
import io.vhba.miniport.MemoryBuffer;
import io.vhba.miniport.PhysicalRange;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Simulated host memory for tests: 4 KiB frames above 4 GiB (so the HI address registers
 * matter), a frame allocator that can hand out deliberately scattered pages, the device's
 * {@link Dma} view by physical address, and the driver's {@link MemoryBuffer} view by
 * virtual address. Touching a frame that was never allocated, or one marked faulty, is a
 * {@link DmaFault}.
 */
public final class FakeHostMemory implements Dma {
    public static final int PAGE = 4096;
    public static final long PHYSICAL_BASE = 0x1_0000_0000L;
    private static final long VIRTUAL_BASE = 0xFFFF_A000_0000_0000L;

    private final byte[] ram;
    private final BitSet allocated = new BitSet();
    private final BitSet faulty = new BitSet();
    private final TreeMap<Long, Mapping> mappings = new TreeMap<>();
    private int nextFrame;
    private long nextVirtual = VIRTUAL_BASE;

    /** A virtual range and the physical page behind each of its pages. */
    private record Mapping(long virtualAddress, long[] pages, int firstOffset, int length) {}

    public FakeHostMemory(int frames) {
        this.ram = new byte[frames * PAGE];
    }

    // ---- allocation ---------------------------------------------------------------------------

    /** Physically contiguous frames; returns the physical address of the first. */
    public synchronized long allocateContiguous(int bytes) {
        int frames = Math.max(1, (bytes + PAGE - 1) / PAGE);
        int first = nextFrame;
        allocated.set(first, first + frames);
        nextFrame += frames;
        return PHYSICAL_BASE + (long) first * PAGE;
    }

    /** {@code count} frames, each separated by an unallocated guard frame and handed out in descending order. */
    public synchronized long[] allocateScattered(int count) {
        int first = nextFrame;
        nextFrame += 2 * count;
        long[] pages = new long[count];
        for (int i = 0; i < count; i++) {
            int frame = first + 2 * (count - 1 - i);
            allocated.set(frame);
            pages[i] = PHYSICAL_BASE + (long) frame * PAGE;
        }
        return pages;
    }

    /** A physical address inside the RAM that no allocation covers. */
    public synchronized long unallocatedAddress() {
        nextFrame += 1;
        return PHYSICAL_BASE + (long) (nextFrame - 1) * PAGE;
    }

    /** Fault injection: every DMA touching the frame of {@code physicalAddress} fails. */
    public synchronized void failFrame(long physicalAddress) {
        faulty.set(frame(physicalAddress));
    }

    // ---- the driver's view: virtual mappings --------------------------------------------------

    /** Maps {@code length} bytes starting {@code firstOffset} bytes into {@code pages[0]}, virtually contiguous. */
    public synchronized MemoryBuffer map(long[] pages, int firstOffset, int length) {
        long va = nextVirtual + firstOffset;
        nextVirtual += (long) (pages.length + 1) * PAGE;
        Mapping m = new Mapping(va, pages.clone(), firstOffset, length);
        mappings.put(va, m);
        return new View(m, 0, length);
    }

    /** Maps a physically contiguous range. */
    public MemoryBuffer mapContiguous(long physicalAddress, int length) {
        int offset = (int) (physicalAddress % PAGE);
        long firstPage = physicalAddress - offset;
        int pages = (offset + length + PAGE - 1) / PAGE;
        long[] p = new long[Math.max(1, pages)];
        for (int i = 0; i < p.length; i++) {
            p[i] = firstPage + (long) i * PAGE;
        }
        return map(p, offset, length);
    }

    /** StorPortGetPhysicalAddress: the physical address of {@code va} and how many bytes stay contiguous from it (to the mapping's end). */
    public synchronized PhysicalRange translate(long va) {
        Map.Entry<Long, Mapping> e = mappings.floorEntry(va);
        if (e == null || va >= e.getKey() + e.getValue().length()) {
            return null;
        }
        Mapping m = e.getValue();
        int linear = (int) (va - m.virtualAddress()) + m.firstOffset();
        int page = linear / PAGE;
        long pa = m.pages()[page] + linear % PAGE;
        int end = m.firstOffset() + m.length();
        int contiguousEnd = (page + 1) * PAGE;
        while (page + 1 < m.pages().length && m.pages()[page + 1] == m.pages()[page] + PAGE && contiguousEnd < end) {
            page++;
            contiguousEnd += PAGE;
        }
        return new PhysicalRange(pa, Math.min(contiguousEnd, end) - linear);
    }

    /** The scatter/gather list of a mapped buffer: its physically contiguous runs, in order. */
    public List<PhysicalRange> scatterGather(MemoryBuffer buffer) {
        List<PhysicalRange> runs = new ArrayList<>();
        int offset = 0;
        while (offset < buffer.length()) {
            PhysicalRange r = translate(buffer.virtualAddress() + offset);
            int n = Math.min(r.length(), buffer.length() - offset);
            runs.add(new PhysicalRange(r.physicalAddress(), n));
            offset += n;
        }
        return runs;
    }

    // ---- the device's view: Dma ------------------------------------------------------------------

    @Override
    public synchronized void read(long physicalAddress, ByteBuffer dst) {
        int n = dst.remaining();
        int at = check(physicalAddress, n);
        dst.put(ram, at, n);
    }

    @Override
    public synchronized void write(long physicalAddress, ByteBuffer src) {
        int n = src.remaining();
        int at = check(physicalAddress, n);
        src.get(ram, at, n);
    }

    @Override
    public synchronized int readInt(long physicalAddress) {
        return le(check(physicalAddress, 4), 4).getInt();
    }

    @Override
    public synchronized long readLong(long physicalAddress) {
        return le(check(physicalAddress, 8), 8).getLong();
    }

    @Override
    public synchronized void writeInt(long physicalAddress, int value) {
        le(check(physicalAddress, 4), 4).putInt(value);
    }

    @Override
    public synchronized void writeLong(long physicalAddress, long value) {
        le(check(physicalAddress, 8), 8).putLong(value);
    }

    // ---- test access by physical address (no fault checks) --------------------------------------

    public synchronized byte[] bytes(long physicalAddress, int length) {
        byte[] b = new byte[length];
        System.arraycopy(ram, index(physicalAddress), b, 0, length);
        return b;
    }

    public synchronized void put(long physicalAddress, byte[] bytes) {
        System.arraycopy(bytes, 0, ram, index(physicalAddress), bytes.length);
    }

    public synchronized int getInt(long physicalAddress) {
        return le(index(physicalAddress), 4).getInt();
    }

    public synchronized int getByte(long physicalAddress) {
        return ram[index(physicalAddress)] & 0xFF;
    }

    public synchronized void putByte(long physicalAddress, int value) {
        ram[index(physicalAddress)] = (byte) value;
    }

    public synchronized void putShort(long physicalAddress, int value) {
        le(index(physicalAddress), 2).putShort((short) value);
    }

    public synchronized void putInt(long physicalAddress, int value) {
        le(index(physicalAddress), 4).putInt(value);
    }

    public synchronized void putLong(long physicalAddress, long value) {
        le(index(physicalAddress), 8).putLong(value);
    }

    private ByteBuffer le(int at, int n) {
        return ByteBuffer.wrap(ram, at, n).slice().order(ByteOrder.LITTLE_ENDIAN);
    }

    private int index(long physicalAddress) {
        long i = physicalAddress - PHYSICAL_BASE;
        if (i < 0 || i >= ram.length) {
            throw new IllegalArgumentException(String.format("0x%X is outside the test RAM", physicalAddress));
        }
        return (int) i;
    }

    private int frame(long physicalAddress) {
        return index(physicalAddress) / PAGE;
    }

    private int check(long physicalAddress, int n) {
        long start = physicalAddress - PHYSICAL_BASE;
        if (n == 0) {
            return (int) Math.max(0, Math.min(start, ram.length));
        }
        if (start < 0 || start + n > ram.length) {
            throw new DmaFault(physicalAddress, n, "outside host memory");
        }
        for (int f = (int) (start / PAGE); f <= (start + n - 1) / PAGE; f++) {
            if (!allocated.get(f)) {
                throw new DmaFault(physicalAddress, n, "no allocation");
            }
            if (faulty.get(f)) {
                throw new DmaFault(physicalAddress, n, "injected fault");
            }
        }
        return (int) start;
    }

    /** A driver-side view: byte offsets translated page by page, little-endian multi-byte access. */
    private final class View implements MemoryBuffer {
        private final Mapping mapping;
        private final int start;
        private final int length;

        View(Mapping mapping, int start, int length) {
            this.mapping = mapping;
            this.start = start;
            this.length = length;
        }

        private int at(int offset, int n) {
            if (offset < 0 || n < 0 || offset + n > length) {
                throw new IndexOutOfBoundsException("[" + offset + ", +" + n + ") outside " + length + " bytes");
            }
            int linear = mapping.firstOffset() + start + offset;
            return index(mapping.pages()[linear / PAGE] + linear % PAGE);
        }

        private long getLe(int offset, int n) {
            long v = 0;
            synchronized (FakeHostMemory.this) {
                for (int i = n - 1; i >= 0; i--) {
                    v = v << 8 | (ram[at(offset + i, 1)] & 0xFF);
                }
            }
            return v;
        }

        private void putLe(int offset, int n, long v) {
            synchronized (FakeHostMemory.this) {
                for (int i = 0; i < n; i++) {
                    ram[at(offset + i, 1)] = (byte) (v >>> (8 * i));
                }
            }
        }

        @Override
        public long virtualAddress() {
            return mapping.virtualAddress() + start;
        }

        @Override
        public int length() {
            return length;
        }

        @Override
        public byte getByte(int offset) {
            return (byte) getLe(offset, 1);
        }

        @Override
        public short getShort(int offset) {
            return (short) getLe(offset, 2);
        }

        @Override
        public int getInt(int offset) {
            return (int) getLe(offset, 4);
        }

        @Override
        public long getLong(int offset) {
            return getLe(offset, 8);
        }

        @Override
        public void putByte(int offset, byte value) {
            putLe(offset, 1, value);
        }

        @Override
        public void putShort(int offset, short value) {
            putLe(offset, 2, value);
        }

        @Override
        public void putInt(int offset, int value) {
            putLe(offset, 4, value);
        }

        @Override
        public void putLong(int offset, long value) {
            putLe(offset, 8, value);
        }

        @Override
        public void get(int offset, byte[] dst, int dstOffset, int n) {
            for (int i = 0; i < n; i++) {
                dst[dstOffset + i] = getByte(offset + i);
            }
        }

        @Override
        public void put(int offset, byte[] src, int srcOffset, int n) {
            for (int i = 0; i < n; i++) {
                putByte(offset + i, src[srcOffset + i]);
            }
        }

        @Override
        public void fill(int offset, int n, byte value) {
            for (int i = 0; i < n; i++) {
                putByte(offset + i, value);
            }
        }

        @Override
        public MemoryBuffer slice(int offset, int n) {
            at(offset, n);
            return new View(mapping, start + offset, n);
        }
    }
}
