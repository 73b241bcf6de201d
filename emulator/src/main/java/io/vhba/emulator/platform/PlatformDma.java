package io.vhba.emulator.platform;

import io.vhba.hw.Dma;
import io.vhba.hw.DmaFault;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.LongAdder;

/**
 * A device's bus-master DMA into {@link HostMemory}: every page touched must belong to a live
 * allocation, else the access is a {@link DmaFault} naming the address. Counts bytes per
 * direction; a {@link DmaInterceptor} may delay or fail transfers (fault injection).
 */
public final class PlatformDma implements Dma {
    private static final int PAGE_MASK = HostMemory.PAGE_SIZE - 1;

    private final HostMemory memory;
    private final LongAdder bytesRead = new LongAdder();
    private final LongAdder bytesWritten = new LongAdder();
    private volatile DmaInterceptor interceptor = DmaInterceptor.NONE;

    public PlatformDma(HostMemory memory) {
        this.memory = memory;
    }

    public void setInterceptor(DmaInterceptor interceptor) {
        this.interceptor = interceptor == null ? DmaInterceptor.NONE : interceptor;
    }

    /** Bytes devices read from host memory (data-out, descriptors). */
    public long bytesRead() {
        return bytesRead.sum();
    }

    /** Bytes devices wrote to host memory (data-in, completions). */
    public long bytesWritten() {
        return bytesWritten.sum();
    }

    @Override
    public void read(long physicalAddress, ByteBuffer dst) {
        int len = dst.remaining();
        interceptor.beforeTransfer(physicalAddress, len, false);
        long pa = physicalAddress;
        while (dst.hasRemaining()) {
            int f = checkedFrame(pa, dst.remaining());
            int n = Math.min(dst.remaining(), HostMemory.PAGE_SIZE - (int) (pa & PAGE_MASK));
            dst.put(dst.position(), memory.chunkOf(f), HostMemory.offsetInChunk(f) + (int) (pa & PAGE_MASK), n);
            dst.position(dst.position() + n);
            pa += n;
        }
        bytesRead.add(len);
    }

    @Override
    public void write(long physicalAddress, ByteBuffer src) {
        int len = src.remaining();
        interceptor.beforeTransfer(physicalAddress, len, true);
        long pa = physicalAddress;
        while (src.hasRemaining()) {
            int f = checkedFrame(pa, src.remaining());
            int n = Math.min(src.remaining(), HostMemory.PAGE_SIZE - (int) (pa & PAGE_MASK));
            memory.chunkOf(f).put(HostMemory.offsetInChunk(f) + (int) (pa & PAGE_MASK), src, src.position(), n);
            src.position(src.position() + n);
            pa += n;
        }
        // Device writes become visible in program order, as posted PCIe writes do on x86 (TSO).
        VarHandle.releaseFence();
        bytesWritten.add(len);
    }

    @Override
    public int readInt(long physicalAddress) {
        if ((physicalAddress & PAGE_MASK) <= HostMemory.PAGE_SIZE - 4) {
            interceptor.beforeTransfer(physicalAddress, 4, false);
            int f = checkedFrame(physicalAddress, 4);
            bytesRead.add(4);
            return memory.chunkOf(f).getInt(HostMemory.offsetInChunk(f) + (int) (physicalAddress & PAGE_MASK));
        }
        ByteBuffer b = ByteBuffer.allocate(4).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        read(physicalAddress, b);
        return b.getInt(0);
    }

    @Override
    public long readLong(long physicalAddress) {
        if ((physicalAddress & PAGE_MASK) <= HostMemory.PAGE_SIZE - 8) {
            interceptor.beforeTransfer(physicalAddress, 8, false);
            int f = checkedFrame(physicalAddress, 8);
            bytesRead.add(8);
            return memory.chunkOf(f).getLong(HostMemory.offsetInChunk(f) + (int) (physicalAddress & PAGE_MASK));
        }
        ByteBuffer b = ByteBuffer.allocate(8).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        read(physicalAddress, b);
        return b.getLong(0);
    }

    @Override
    public void writeInt(long physicalAddress, int value) {
        if ((physicalAddress & PAGE_MASK) <= HostMemory.PAGE_SIZE - 4) {
            interceptor.beforeTransfer(physicalAddress, 4, true);
            int f = checkedFrame(physicalAddress, 4);
            memory.chunkOf(f).putInt(HostMemory.offsetInChunk(f) + (int) (physicalAddress & PAGE_MASK), value);
            VarHandle.releaseFence();
            bytesWritten.add(4);
            return;
        }
        ByteBuffer b = ByteBuffer.allocate(4).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(0, value);
        write(physicalAddress, b);
    }

    @Override
    public void writeLong(long physicalAddress, long value) {
        if ((physicalAddress & PAGE_MASK) <= HostMemory.PAGE_SIZE - 8) {
            interceptor.beforeTransfer(physicalAddress, 8, true);
            int f = checkedFrame(physicalAddress, 8);
            memory.chunkOf(f).putLong(HostMemory.offsetInChunk(f) + (int) (physicalAddress & PAGE_MASK), value);
            VarHandle.releaseFence();
            bytesWritten.add(8);
            return;
        }
        ByteBuffer b = ByteBuffer.allocate(8).order(java.nio.ByteOrder.LITTLE_ENDIAN).putLong(0, value);
        write(physicalAddress, b);
    }

    private int checkedFrame(long pa, int len) {
        int f = memory.frameOf(pa);
        if (f < 0 || !memory.isAllocated(f)) {
            throw new DmaFault(pa, len, f < 0 ? "outside host memory" : "page not allocated");
        }
        return f;
    }
}
