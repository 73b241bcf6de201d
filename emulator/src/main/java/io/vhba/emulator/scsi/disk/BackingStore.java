package io.vhba.emulator.scsi.disk;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;

/**
 * The bytes behind a disk. Offsets and lengths are in bytes; callers stay inside {@link #capacity()}
 * ({@link IndexOutOfBoundsException} otherwise). Implementations are safe for concurrent use without a global lock
 * on the data path; ordering between overlapping operations is the caller's (the disk's range locks give it).
 *
 * <p>Provisioning (SBC-4 4.7): space is tracked in units of {@link #mappingGranularity()} bytes. A unit is
 * <em>mapped</em> once written and <em>deallocated</em> when never written or after {@link #deallocate} covered it
 * whole; a deallocated unit reads back as zeros. Deallocating part of a unit writes zeros there and leaves the unit
 * mapped, so reads after any deallocation return zeros either way.
 */
public interface BackingStore {

    /** The size in bytes. */
    long capacity();

    /** The provisioning unit in bytes: a power of two. */
    int mappingGranularity();

    /** Fills {@code dst.remaining()} bytes from {@code offset}; deallocated ranges read as zeros. */
    void read(long offset, ByteBuffer dst) throws IOException;

    /** Writes {@code src.remaining()} bytes at {@code offset}, mapping the units it touches. */
    void write(long offset, ByteBuffer src) throws IOException;

    /** Makes every completed write durable (a file is forced to its device); returns when done. */
    void flush() throws IOException;

    /**
     * Makes every write completed before this call durable, without blocking the caller when the store has real
     * work to do: the future completes (exceptionally with the {@link IOException}) once a flush that began after the
     * call has ended. A store with a volatile cache runs it elsewhere ({@link FileStore} on its flush thread, one
     * force for all the requests waiting); the default flushes here, which suits a store whose flush costs nothing.
     */
    default CompletableFuture<Void> flushAsync() {
        try {
            flush();
            return FLUSHED;
        } catch (IOException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** A completed flush, shared (nobody completes it again): a store that flushes in place allocates nothing. */
    CompletableFuture<Void> FLUSHED = CompletableFuture.completedFuture(null);

    /** Releases whole units inside the range and zeroes the partial ends (see the class comment). */
    void deallocate(long offset, long length) throws IOException;

    /**
     * The provisioning state at {@code offset} and how far it runs unchanged, at most {@code maxLength} bytes.
     * The run length is a whole number of units except where it is clipped by {@code maxLength} or the capacity.
     */
    MappingExtent extent(long offset, long maxLength) throws IOException;

    /**
     * Brings the range into a cache in front of the medium, for PRE-FETCH (SBC-4 5.9).
     *
     * @return true when the range now sits in such a cache; false when the store has no cache (a RAM store's
     *         medium is the memory itself)
     */
    boolean prefetch(long offset, long length) throws IOException;

    /**
     * Changes the size to {@code newCapacity} bytes (a capacity change, SBC-4 4.6). Bytes below both sizes are kept;
     * past a smaller size the units are released and the bytes gone; space added reads as zeros and is
     * deallocated. Not atomic against the other operations: the caller runs it alone (the disk holds its range lock
     * over everything, {@link RangeLock#lockAll}), except that {@link #flush()} may run alongside.
     *
     * @throws IllegalArgumentException when {@code newCapacity} is not positive or too large for the store
     */
    void resize(long newCapacity) throws IOException;

    /** A run of equally provisioned bytes. */
    record MappingExtent(boolean mapped, long length) {}

    /** Throws unless {@code [offset, offset + length)} lies within {@code capacity}. */
    static void checkRange(long offset, long length, long capacity) {
        if (offset < 0 || length < 0 || offset > capacity || length > capacity - offset) {
            throw new IndexOutOfBoundsException("range [" + offset + ", +" + length + ") outside capacity " + capacity);
        }
    }
}
