package io.vhba.samples.common.hw;

import io.vhba.hw.Dma;
import io.vhba.hw.DmaFault;
import java.nio.ByteBuffer;

/**
 * The platform's {@link Dma} with a controller's byte and fault counters in front of it: every
 * access adds its size to the read or written counter, every {@link DmaFault} bumps the fault
 * counter and is rethrown unchanged. The three counters are the device's own constants, given
 * once at construction, so metering allocates nothing per access.
 *
 * @param <C> the device's counter table
 */
public final class MeteredDma<C extends Enum<C> & DeviceStatistics.Counter> implements Dma {
    private final Dma dma;
    private final DeviceStatistics<C> stats;
    private final C bytesRead;
    private final C bytesWritten;
    private final C faults;

    public MeteredDma(Dma dma, DeviceStatistics<C> stats, C bytesRead, C bytesWritten, C faults) {
        this.dma = dma;
        this.stats = stats;
        this.bytesRead = bytesRead;
        this.bytesWritten = bytesWritten;
        this.faults = faults;
    }

    private DmaFault fault(DmaFault f) {
        stats.increment(faults);
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
        stats.add(bytesRead, n);
    }

    @Override
    public void write(long physicalAddress, ByteBuffer src) {
        int n = src.remaining();
        try {
            dma.write(physicalAddress, src);
        } catch (DmaFault f) {
            throw fault(f);
        }
        stats.add(bytesWritten, n);
    }

    @Override
    public int readInt(long physicalAddress) {
        try {
            int v = dma.readInt(physicalAddress);
            stats.add(bytesRead, 4);
            return v;
        } catch (DmaFault f) {
            throw fault(f);
        }
    }

    @Override
    public long readLong(long physicalAddress) {
        try {
            long v = dma.readLong(physicalAddress);
            stats.add(bytesRead, 8);
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
        stats.add(bytesWritten, 4);
    }

    @Override
    public void writeLong(long physicalAddress, long value) {
        try {
            dma.writeLong(physicalAddress, value);
        } catch (DmaFault f) {
            throw fault(f);
        }
        stats.add(bytesWritten, 8);
    }
}
