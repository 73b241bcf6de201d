package io.vhba.emulator.platform;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A share of {@link HostMemory} for one consumer (the data buffers of one session's commands), so that one session
 * cannot take the memory every session shares. Whole pages are charged at allocation and credited back when the
 * buffer's last reference goes (after its Data-In was sent, for example). Thread-safe.
 */
public final class HostMemoryQuota {
    private final HostMemory memory;
    private final long limitBytes;
    private final AtomicLong charged = new AtomicLong();

    public HostMemoryQuota(HostMemory memory, long limitBytes) {
        if (limitBytes < HostMemory.PAGE_SIZE) {
            throw new IllegalArgumentException("a quota below one page: " + limitBytes);
        }
        this.memory = memory;
        this.limitBytes = limitBytes;
    }

    /**
     * Allocates {@code length} bytes from host memory, charged to this quota.
     *
     * @throws HostMemoryQuotaExceededException when the quota cannot take it
     * @throws OutOfHostMemoryException when host memory itself is exhausted
     */
    public HostBuffer allocate(int length) {
        long bytes = (long) Math.max(1, (length + HostMemory.PAGE_SIZE - 1) >>> HostMemory.PAGE_SHIFT) << HostMemory.PAGE_SHIFT;
        if (charged.addAndGet(bytes) > limitBytes) {
            charged.addAndGet(-bytes);
            throw new HostMemoryQuotaExceededException(length, charged.get(), limitBytes);
        }
        try {
            HostBuffer b = memory.allocate(length);
            b.chargeTo(this, bytes);
            return b;
        } catch (RuntimeException e) {
            charged.addAndGet(-bytes);
            throw e;
        }
    }

    void credit(long bytes) {
        charged.addAndGet(-bytes);
    }

    /** Bytes held by live buffers of this quota. */
    public long chargedBytes() {
        return charged.get();
    }

    public long limitBytes() {
        return limitBytes;
    }
}
