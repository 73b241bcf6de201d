package io.vhba.emulator.scsi.disk;

import io.vhba.hw.DataDirection;
import io.vhba.hw.ScsiCommand;
import io.vhba.hw.ScsiResult;
import io.vhba.miniport.scsi.AdditionalSense;
import io.vhba.miniport.scsi.SenseData;
import io.vhba.miniport.scsi.SenseKey;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The state one disk's command handlers share, and the transfer and medium I/O helpers they use. Every block
 * transfer streams through {@link Staging} chunks between the store and {@link io.vhba.hw.DataBuffer}.
 */
final class Disk {

    /** The configuration, its geometry replaced on each {@link #resize}. */
    volatile DiskConfig config;
    final BackingStore store;
    final CommandTable table;
    final RangeLock locks;
    final ModeParameters mode;
    /** EXTENDED COPY: where copy targets are found and the results held (see {@link CopyManager}). */
    final CopyManager copy;
    final AtomicReference<MediumState> medium = new AtomicReference<>(MediumState.PRESENT);
    /** PREVENT ALLOW MEDIUM REMOVAL state (SBC-4 5.12). */
    volatile boolean preventRemoval;
    final int blockSize;
    /** Set when a write found no memory; the warning is logged once, not for every refused write. */
    private volatile boolean outOfSpaceLogged;
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Disk.class);

    /** Threads and waits of the platform the disk runs on (medium operations, their pacing). */
    volatile io.vhba.hw.PlatformThreads threads = io.vhba.hw.PlatformThreads.SYSTEM;
    /** Numbers the medium-operation threads of this disk (names only). */
    final java.util.concurrent.atomic.AtomicInteger operations = new java.util.concurrent.atomic.AtomicInteger();

    Disk(DiskConfig config, BackingStore store, SavedModePages saved, CopyTargets self) {
        this.config = config;
        this.copy = new CopyManager(self);
        this.store = store;
        this.table = new CommandTable(config);
        this.blockSize = config.blockSize();
        // regions of 1 MiB of LBA space: large enough that a typical transfer takes one or two stripes
        this.locks = new RangeLock(Integer.numberOfTrailingZeros((1 << 20) / blockSize));
        this.mode = new ModeParameters(config, saved);
    }

    // ---- state ----

    /**
     * The number of logical blocks, from the current geometry. Stable while any range lock is held: {@link #resize}
     * changes it under all of them. Read without a lock (a CDB check), it may be stale by the time the range is
     * locked; see {@link #lock}.
     */
    long blocks() {
        return config.logicalBlocks();
    }

    boolean writeProtected() {
        return config.readOnly() || mode.softwareWriteProtect();
    }

    /** The unit of deallocation in logical blocks (OPTIMAL UNMAP GRANULARITY). */
    int unmapGranularity() {
        return Math.max(1, store.mappingGranularity() / blockSize);
    }

    /**
     * Changes the capacity (SBC-4 4.6) under an exclusive lock of the whole medium, so no command sees a block count
     * and a store that disagree: the store is resized (blocks past a smaller end are dropped, added blocks read
     * zeros and are deallocated), then the geometry, and with it the block count, follows. The unit attention that tells the
     * initiators is the target core's.
     *
     * @throws IllegalArgumentException when {@code newCapacityBytes} is not a positive multiple of the block size
     */
    void resize(long newCapacityBytes) throws IOException {
        if (newCapacityBytes <= 0 || newCapacityBytes % blockSize != 0) {
            throw new IllegalArgumentException("capacity " + newCapacityBytes + " is not a positive multiple of the "
                    + blockSize + "-byte logical block size");
        }
        long newBlocks = newCapacityBytes / blockSize;
        try (RangeLock.Held all = locks.lockAll(RangeLock.Mode.EXCLUSIVE)) {
            DiskConfig.Geometry g = config.geometry();
            DiskConfig resized = config.withGeometry(
                    new DiskConfig.Geometry(blockSize, newBlocks, g.physicalBlockExponent()));
            long oldBytes = blocks() * blockSize;
            long stale = Math.min(store.capacity(), newCapacityBytes) - oldBytes;
            if (stale > 0) { // a store larger than the medium was: what lay past the old end is not medium data
                store.deallocate(oldBytes, stale);
            }
            store.resize(newCapacityBytes);
            config = resized;
        }
    }

    // ---- CDB checks ----

    /** LOGICAL BLOCK ADDRESS OUT OF RANGE unless {@code [lba, lba + count)} lies within the medium (SBC-4 4.5). */
    void checkRange(long lba, long count) {
        if (!inRange(lba, count)) {
            throw CheckCondition.lbaOutOfRange();
        }
    }

    boolean inRange(long lba, long count) {
        long n = blocks();
        return Long.compareUnsigned(lba, n) <= 0 && count <= n - lba;
    }

    /**
     * Locks {@code [lba, lba + count)} and checks the range again under the lock: a resize may have shrunk the medium
     * since the CDB was checked (LOGICAL BLOCK ADDRESS OUT OF RANGE then, and nothing is held).
     */
    RangeLock.Held lock(long lba, long count, RangeLock.Mode mode) {
        RangeLock.Held held = locks.lock(lba, count, mode);
        if (!inRange(lba, count)) {
            held.close();
            throw CheckCondition.lbaOutOfRange();
        }
        return held;
    }

    /** INVALID FIELD IN CDB when a transfer exceeds MAXIMUM TRANSFER LENGTH (SBC-4 6.6.4). */
    void checkTransferLength(long count, int fieldOffset) {
        if (count > config.limits().maxTransferLength()) {
            throw CheckCondition.invalidField(fieldOffset, -1);
        }
    }

    // ---- host transfers ----

    /** Bytes the initiator's buffer takes as Data-In: none when the command carries no Data-In. */
    static int dataInCapacity(ScsiCommand c) {
        return c.direction() == DataDirection.IN || c.direction() == DataDirection.BIDIRECTIONAL
                ? c.data().length() : 0;
    }

    /** Bytes the initiator sent as Data-Out: none when the command carries no Data-Out. */
    static int dataOutLength(ScsiCommand c) {
        return c.direction() == DataDirection.OUT || c.direction() == DataDirection.BIDIRECTIONAL
                ? c.data().length() : 0;
    }

    /**
     * Sends parameter data truncated to the allocation length and to the buffer (SPC-4 4.2.5.6).
     *
     * @return bytes transferred
     */
    static int sendDataIn(ScsiCommand c, byte[] data, int length, long allocationLength) {
        int n = (int) Math.min(Math.min(length, allocationLength), dataInCapacity(c));
        if (n > 0) {
            c.data().writeDataIn(0, ByteBuffer.wrap(data, 0, n));
        }
        return n;
    }

    /**
     * Receives a parameter list of {@code length} bytes; PARAMETER LIST LENGTH ERROR when the initiator sent less.
     */
    static byte[] receiveParameterList(ScsiCommand c, int length) {
        if (dataOutLength(c) < length) {
            throw CheckCondition.parameterListLengthError();
        }
        byte[] b = new byte[length];
        if (length > 0) {
            c.data().readDataOut(0, ByteBuffer.wrap(b));
        }
        return b;
    }

    /** Streams {@code count} blocks from {@code lba} to the host, clipped to the buffer; returns bytes sent. */
    int readToHost(ScsiCommand c, long lba, long count) {
        long total = Math.min(count * blockSize, dataInCapacity(c));
        long pos = lba * blockSize;
        for (long done = 0; done < total; ) {
            int n = (int) Math.min(Staging.CHUNK, total - done);
            ByteBuffer chunk = Staging.get().first(n);
            readMedium(pos + done, chunk);
            chunk.flip();
            c.data().writeDataIn((int) done, chunk);
            done += n;
        }
        return (int) total;
    }

    /** Streams {@code count} blocks from the host buffer (starting at {@code hostOffset}) to {@code lba}. */
    void writeFromHost(ScsiCommand c, int hostOffset, long lba, long count) {
        long total = count * blockSize;
        long pos = lba * blockSize;
        for (long done = 0; done < total; ) {
            int n = (int) Math.min(Staging.CHUNK, total - done);
            ByteBuffer chunk = Staging.get().first(n);
            c.data().readDataOut((int) (hostOffset + done), chunk);
            chunk.flip();
            writeMedium(pos + done, chunk);
            done += n;
        }
    }

    /**
     * Compares {@code count} blocks at {@code lba} with the host's Data-Out bytes from {@code hostOffset}.
     *
     * @return -1 when equal, else the offset (from {@code hostOffset}) of the first differing byte
     */
    long compareWithHost(ScsiCommand c, int hostOffset, long lba, long count) {
        long total = count * blockSize;
        long pos = lba * blockSize;
        for (long done = 0; done < total; ) {
            int n = (int) Math.min(Staging.CHUNK, total - done);
            ByteBuffer medium = Staging.get().first(n);
            ByteBuffer host = Staging.get().second(n);
            readMedium(pos + done, medium);
            c.data().readDataOut((int) (hostOffset + done), host);
            int at = medium.flip().mismatch(host.flip());
            if (at >= 0) {
                return done + at;
            }
            done += n;
        }
        return -1;
    }

    /** Reads {@code count} blocks and drops them: medium verification (SBC-4 5.33, BYTCHK=00b). */
    void verifyMedium(long lba, long count) {
        long total = count * blockSize;
        long pos = lba * blockSize;
        for (long done = 0; done < total; ) {
            int n = (int) Math.min(Staging.CHUNK, total - done);
            readMedium(pos + done, Staging.get().first(n));
            done += n;
        }
    }

    /** Writes the one-block image {@code block} to each of {@code count} blocks; {@code progress} counts them. */
    void fillMedium(long lba, long count, byte[] block, AtomicLong progress) {
        long chunkBlocks = Math.min(Staging.CHUNK / blockSize, count);
        ByteBuffer chunk = Staging.get().first((int) (chunkBlocks * blockSize));
        for (long b = 0; b < chunkBlocks; b++) {
            chunk.put(block);
        }
        for (long done = 0; done < count; ) {
            long n = Math.min(chunkBlocks, count - done);
            writeMedium((lba + done) * blockSize, chunk.duplicate().position(0).limit((int) (n * blockSize)));
            done += n;
            if (progress != null) {
                progress.addAndGet(n);
            }
        }
    }

    /** A logical block filled with {@code pattern} repeated from the block's first byte. */
    byte[] blockOf(byte[] pattern) {
        byte[] block = new byte[blockSize];
        for (int i = 0; i < blockSize; i++) {
            block[i] = pattern[i % pattern.length];
        }
        return block;
    }

    static boolean allZero(byte[] b) {
        for (byte x : b) {
            if (x != 0) {
                return false;
            }
        }
        return true;
    }

    // ---- medium I/O with sense mapping ----

    /** Reads from the store; an I/O failure is MEDIUM ERROR / UNRECOVERED READ ERROR at that LBA. */
    void readMedium(long offset, ByteBuffer dst) {
        try {
            store.read(offset, dst);
        } catch (IOException e) {
            throw new CheckCondition(SenseData.withInformation(SenseKey.MEDIUM_ERROR,
                    AdditionalSense.UNRECOVERED_READ_ERROR, offset / blockSize));
        }
    }

    /** Writes to the store; an I/O failure is MEDIUM ERROR / WRITE ERROR at that LBA. */
    void writeMedium(long offset, ByteBuffer src) {
        try {
            store.write(offset, src);
        } catch (SpaceAllocationFailedException e) {
            throw spaceAllocationFailed(e);
        } catch (IOException e) {
            throw writeError(offset);
        }
    }

    /**
     * A thin store out of memory: DATA PROTECT / SPACE ALLOCATION FAILED WRITE PROTECT, as SBC-4 4.7.3.6 has a thin
     * provisioned unit answer a write it has no resources for. Logged once per episode, not per command.
     */
    private CheckCondition spaceAllocationFailed(SpaceAllocationFailedException e) {
        if (!outOfSpaceLogged) {
            outOfSpaceLogged = true;
            LOG.warn("{}: write refused with SPACE ALLOCATION FAILED WRITE PROTECT: {}", "disk " + config.identity().serial(), e.getMessage());
        }
        return new CheckCondition(SenseData.of(SenseKey.DATA_PROTECT, AdditionalSense.SPACE_ALLOCATION_FAILED_WRITE_PROTECT));
    }

    void deallocateMedium(long offset, long length) {
        try {
            store.deallocate(offset, length);
        } catch (IOException e) {
            throw writeError(offset);
        }
    }

    /**
     * Forces the store on this thread; a failure is MEDIUM ERROR / WRITE ERROR. Only for threads that may block (a
     * whole-medium operation's own thread); commands answer through {@link #whenDurable}.
     */
    void flushMedium() {
        try {
            store.flush();
        } catch (IOException e) {
            throw new CheckCondition(flushFailed());
        }
    }

    /**
     * {@code result} once everything written so far is durable. A store that flushes in place (RAM) answers at once;
     * a file store forces on its flush thread, and the command then ends with {@link StatusLater}: the controller gets
     * its status from that thread when the force ends, and the processor that ran the command never waits for the
     * medium. A failed force turns the status into MEDIUM ERROR / WRITE ERROR. The command must have finished with
     * its data buffer before this is called.
     */
    ScsiResult whenDurable(ScsiResult result) {
        CompletableFuture<Void> flushed = store.flushAsync();
        if (flushed.isDone()) {
            if (flushed.isCompletedExceptionally()) {
                throw new CheckCondition(flushFailed());
            }
            return result;
        }
        throw new StatusLater(flushed.handle((ok, failure) -> failure == null ? result
                : ScsiResult.checkCondition(flushFailed())));
    }

    /**
     * The status of a write: {@code result} at once while the write cache is enabled, unless the command asked for
     * FUA; with FUA, or with the cache disabled (WCE=0, SBC-4 6.5.5: write-through), only once the write is durable.
     */
    ScsiResult completeWrite(boolean fua, ScsiResult result) {
        return fua || !mode.writeCacheEnabled() ? whenDurable(result) : result;
    }

    private static SenseData flushFailed() {
        return SenseData.of(SenseKey.MEDIUM_ERROR, AdditionalSense.WRITE_ERROR);
    }

    private CheckCondition writeError(long offset) {
        return new CheckCondition(SenseData.withInformation(SenseKey.MEDIUM_ERROR, AdditionalSense.WRITE_ERROR,
                offset / blockSize));
    }
}
