package io.vhba.samples.ring.hw;

import io.vhba.hw.Dma;
import io.vhba.hw.DmaFault;
import io.vhba.samples.ring.hw.RingStatistics.Counter;
import java.nio.ByteBuffer;

/** The platform's {@link Dma} with the controller's byte and fault counters in front of it. */
final class MeteredDma implements Dma {
    private final Dma dma;
    private final RingStatistics stats;

    MeteredDma(Dma dma, RingStatistics stats) {
        this.dma = dma;
        this.stats = stats;
    }

    private DmaFault fault(DmaFault f) {
        stats.increment(Counter.DMA_FAULTS);
        return f;
    }

    @Override
    public void read(long physicalAddress, ByteBuffer dst) {
        int n = dst.remaining();
        try {
            dma.read(physicalAddress, dst);
        } catch (DmaFault f) {
            throw fault(f);
        }
        stats.add(Counter.DMA_BYTES_READ, n);
    }

    @Override
    public void write(long physicalAddress, ByteBuffer src) {
        int n = src.remaining();
        try {
            dma.write(physicalAddress, src);
        } catch (DmaFault f) {
            throw fault(f);
        }
        stats.add(Counter.DMA_BYTES_WRITTEN, n);
    }

    @Override
    public int readInt(long physicalAddress) {
        try {
            int v = dma.readInt(physicalAddress);
            stats.add(Counter.DMA_BYTES_READ, 4);
            return v;
        } catch (DmaFault f) {
            throw fault(f);
        }
    }

    @Override
    public long readLong(long physicalAddress) {
        try {
            long v = dma.readLong(physicalAddress);
            stats.add(Counter.DMA_BYTES_READ, 8);
            return v;
        } catch (DmaFault f) {
            throw fault(f);
        }
    }

    @Override
    public void writeInt(long physicalAddress, int value) {
        try {
            dma.writeInt(physicalAddress, value);
        } catch (DmaFault f) {
            throw fault(f);
        }
        stats.add(Counter.DMA_BYTES_WRITTEN, 4);
    }

    @Override
    public void writeLong(long physicalAddress, long value) {
        try {
            dma.writeLong(physicalAddress, value);
        } catch (DmaFault f) {
            throw fault(f);
        }
        stats.add(Counter.DMA_BYTES_WRITTEN, 8);
    }
}
