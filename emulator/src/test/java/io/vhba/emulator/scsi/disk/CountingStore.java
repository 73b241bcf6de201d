package io.vhba.emulator.scsi.disk;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Delegates to a store and counts flushes, writes and deallocations, so tests can see that FUA and SYNCHRONIZE CACHE
 * really force and that a refused command never reached the medium.
 */
class CountingStore implements BackingStore {

    final BackingStore delegate;
    final AtomicInteger flushes = new AtomicInteger();
    final AtomicInteger writes = new AtomicInteger();
    final AtomicInteger deallocations = new AtomicInteger();
    volatile boolean failWrites;

    CountingStore(BackingStore delegate) {
        this.delegate = delegate;
    }

    @Override
    public long capacity() {
        return delegate.capacity();
    }

    @Override
    public int mappingGranularity() {
        return delegate.mappingGranularity();
    }

    @Override
    public void read(long offset, ByteBuffer dst) throws IOException {
        delegate.read(offset, dst);
    }

    @Override
    public void write(long offset, ByteBuffer src) throws IOException {
        if (failWrites) {
            throw new IOException("injected write failure");
        }
        writes.incrementAndGet();
        delegate.write(offset, src);
    }

    @Override
    public void flush() throws IOException {
        flushes.incrementAndGet();
        delegate.flush();
    }

    @Override
    public void deallocate(long offset, long length) throws IOException {
        if (failWrites) {
            throw new IOException("injected write failure");
        }
        deallocations.incrementAndGet();
        delegate.deallocate(offset, length);
    }

    @Override
    public MappingExtent extent(long offset, long maxLength) throws IOException {
        return delegate.extent(offset, maxLength);
    }

    @Override
    public boolean prefetch(long offset, long length) throws IOException {
        return delegate.prefetch(offset, length);
    }

    @Override
    public void resize(long newCapacity) throws IOException {
        delegate.resize(newCapacity);
    }
}
