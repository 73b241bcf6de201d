package io.vhba.emulator.scsi.disk;

import io.vhba.emulator.scsi.disk.CopyParameterList.BlockToBlock;
import io.vhba.emulator.scsi.disk.CopyParameterList.Identification;
import io.vhba.emulator.scsi.disk.CopyParameterList.ListIdUsage;
import io.vhba.hw.ScsiCommand;
import io.vhba.hw.ScsiResult;
import io.vhba.miniport.scsi.AdditionalSense;
import io.vhba.miniport.scsi.ScsiStatus;
import io.vhba.miniport.scsi.SenseData;
import io.vhba.miniport.scsi.SenseKey;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * EXTENDED COPY(LID1) (SPC-4 6.4) with block device to block device segments. The device is the copy manager: it
 * copies between its own medium and the other units its {@link CopyTargets} reach, inside the controller, as an array
 * does. Each segment holds both ranges exclusively while it moves, so a copy is consistent against concurrent writes
 * (ordinary writes hold their range shared).
 *
 * <p>Errors found while processing a segment end the command with COPY ABORTED and a segment pointer (SPC-4
 * 4.5.2.4.6, SD=0: the FIELD POINTER counts from the start of the parameter list): COPY TARGET DEVICE NOT REACHABLE
 * when a CSCD descriptor names no reachable unit, NO ADDITIONAL SENSE INFORMATION when the copy target refuses the
 * transfer (range beyond its capacity, write protection, a medium error). Segments before the failing one stay copied.
 */
final class ExtendedCopyCommands {

    private ExtendedCopyCommands() {}

    static ScsiResult extendedCopy(Disk d, DiskCommand entry, ScsiCommand c) {
        long length = Bytes.u32(c.cdb(), 10);
        if (length == 0) { // SPC-4 6.4.1: no parameter list is not an error, and nothing is copied
            return ScsiResult.good(0);
        }
        if (length > CopyParameterList.HEADER_LENGTH + CopyManagerLimits.MAX_DESCRIPTOR_LIST_LENGTH
                + CopyManagerLimits.MAX_INLINE_DATA_LENGTH) {
            throw CheckCondition.parameterListLengthError();
        }
        byte[] p = Disk.receiveParameterList(c, (int) length);
        CopyParameterList list = CopyParameterList.parse(p);
        boolean tracked = list.usage().tracked();
        HeldCopyResults.Progress progress = d.copy.results.begin(list.listId(), tracked);
        if (progress == null) {
            return ScsiResult.status(ScsiStatus.BUSY);
        }
        // Destinations with the write cache disabled, each with its first segment: their copies are made durable
        // before the status (a copy writes as a WRITE does, SBC-4 6.5.5), after every segment has moved.
        Map<Disk, Integer> writeThrough = new LinkedHashMap<>();
        SenseData failure = null;
        try {
            for (BlockToBlock s : list.segments()) {
                progress.bytes.addAndGet(copySegment(d, list, s, writeThrough));
                progress.segments.incrementAndGet();
            }
        } catch (CheckCondition cc) {
            failure = cc.sense();
        } catch (RuntimeException unexpected) {
            d.copy.results.end(progress, tracked, list.usage() == ListIdUsage.HOLD, null);
            throw unexpected;
        }
        return finish(d, list, progress, writeThrough, failure, (int) length);
    }

    /**
     * Forces the write-through destinations, then records the copy's outcome for RECEIVE COPY RESULTS and answers:
     * at once when every force was done in place (RAM), else from the flush threads ({@link StatusLater}). A failed
     * force is COPY ABORTED at the first segment that wrote to that destination, unless a segment failed first.
     */
    private static ScsiResult finish(Disk d, CopyParameterList list, HeldCopyResults.Progress progress,
                                     Map<Disk, Integer> writeThrough, SenseData failure, int length) {
        CompletableFuture<SenseData> outcome = CompletableFuture.completedFuture(failure);
        for (Map.Entry<Disk, Integer> e : writeThrough.entrySet()) {
            int segment = e.getValue();
            CompletableFuture<SenseData> forced = e.getKey().store.flushAsync()
                    .handle((ok, x) -> x == null ? null : aborted(AdditionalSense.NO_ADDITIONAL_SENSE_INFORMATION,
                            segment).sense());
            outcome = outcome.thenCombine(forced, (first, next) -> first != null ? first : next);
        }
        CompletableFuture<ScsiResult> status = outcome.thenApply(sense -> {
            d.copy.results.end(progress, list.usage().tracked(), list.usage() == ListIdUsage.HOLD, sense);
            return sense == null ? ScsiResult.good(length) : ScsiResult.checkCondition(sense);
        });
        if (status.isDone()) {
            return status.join();
        }
        throw new StatusLater(status);
    }

    /** Copies one segment; returns the bytes moved. A write-through destination is noted in {@code writeThrough}. */
    private static long copySegment(Disk manager, CopyParameterList list, BlockToBlock s,
                                    Map<Disk, Integer> writeThrough) {
        Disk src = target(manager, list, s.source(), s.offset() + BlockToBlock.SOURCE_INDEX);
        Disk dst = target(manager, list, s.destination(), s.offset() + BlockToBlock.DESTINATION_INDEX);
        long bytes = (long) s.blocks() * (s.dc() ? dst.blockSize : src.blockSize);
        if (bytes % src.blockSize != 0 || bytes % dst.blockSize != 0) {
            throw aborted(AdditionalSense.NO_ADDITIONAL_SENSE_INFORMATION, s.offset() + BlockToBlock.BLOCKS);
        }
        long srcBlocks = bytes / src.blockSize;
        long dstBlocks = bytes / dst.blockSize;
        checkRanges(src, dst, s, srcBlocks, dstBlocks);
        if (dst.writeProtected()) {
            throw aborted(AdditionalSense.NO_ADDITIONAL_SENSE_INFORMATION, s.offset() + BlockToBlock.DESTINATION_INDEX);
        }
        if (bytes == 0) { // a segment of zero blocks moves nothing and is not an error
            return 0;
        }
        // The ranges are checked again under the locks: a resize may have shrunk a unit since.
        if (src == dst) {
            long low = Math.min(s.sourceLba(), s.destinationLba());
            long high = Math.max(s.sourceLba(), s.destinationLba()) + srcBlocks;
            try (RangeLock.Held both = src.locks.lock(low, high - low, RangeLock.Mode.EXCLUSIVE)) {
                checkRanges(src, dst, s, srcBlocks, dstBlocks);
                move(src, s.sourceLba(), dst, s.destinationLba(), bytes, s.offset());
            }
        } else {
            boolean srcFirst = src.copy.lockOrder < dst.copy.lockOrder;
            try (RangeLock.Held first = srcFirst ? lock(src, s.sourceLba(), srcBlocks)
                    : lock(dst, s.destinationLba(), dstBlocks);
                 RangeLock.Held second = srcFirst ? lock(dst, s.destinationLba(), dstBlocks)
                         : lock(src, s.sourceLba(), srcBlocks)) {
                checkRanges(src, dst, s, srcBlocks, dstBlocks);
                move(src, s.sourceLba(), dst, s.destinationLba(), bytes, s.offset());
            }
        }
        if (!dst.mode.writeCacheEnabled()) {
            writeThrough.putIfAbsent(dst, s.offset());
        }
        return bytes;
    }

    /** COPY ABORTED pointing at the source or destination LBA that lies outside its unit. */
    private static void checkRanges(Disk src, Disk dst, BlockToBlock s, long srcBlocks, long dstBlocks) {
        if (!src.inRange(s.sourceLba(), srcBlocks)) {
            throw aborted(AdditionalSense.NO_ADDITIONAL_SENSE_INFORMATION, s.offset() + BlockToBlock.SOURCE_LBA);
        }
        if (!dst.inRange(s.destinationLba(), dstBlocks)) {
            throw aborted(AdditionalSense.NO_ADDITIONAL_SENSE_INFORMATION, s.offset() + BlockToBlock.DESTINATION_LBA);
        }
    }

    /**
     * Moves {@code bytes} through the staging buffer. Overlapping ranges of one unit with the destination above the
     * source are copied from the end, so every source byte is read before it is overwritten. A medium error aborts
     * the copy at the segment ({@code segmentOffset}).
     */
    private static void move(Disk src, long srcLba, Disk dst, long dstLba, long bytes, int segmentOffset) {
        long srcPos = srcLba * src.blockSize;
        long dstPos = dstLba * dst.blockSize;
        boolean backward = src == dst && dstPos > srcPos && dstPos < srcPos + bytes;
        try {
            for (long done = 0; done < bytes; ) {
                int n = (int) Math.min(Staging.CHUNK, bytes - done);
                long at = backward ? bytes - done - n : done;
                ByteBuffer chunk = Staging.get().first(n);
                src.readMedium(srcPos + at, chunk);
                dst.writeMedium(dstPos + at, chunk.flip());
                done += n;
            }
        } catch (CheckCondition medium) {
            throw aborted(AdditionalSense.NO_ADDITIONAL_SENSE_INFORMATION, segmentOffset);
        }
    }

    /** The unit CSCD descriptor {@code index} names, ready for I/O; COPY ABORTED when there is none. */
    private static Disk target(Disk manager, CopyParameterList list, int index, int indexField) {
        if (index >= list.cscds().size()) {
            throw aborted(AdditionalSense.COPY_TARGET_DEVICE_NOT_REACHABLE, indexField);
        }
        Identification id = list.cscds().get(index);
        byte[] naa = id.naa();
        DiskLogicalUnit unit = naa == null ? null : manager.copy.targets.find(naa);
        if (unit == null) {
            throw aborted(AdditionalSense.COPY_TARGET_DEVICE_NOT_REACHABLE, id.offset() + 4);
        }
        Disk d = unit.disk();
        if (!(d.medium.get() instanceof MediumState.Present)) {
            throw aborted(AdditionalSense.COPY_TARGET_DEVICE_NOT_REACHABLE, id.offset());
        }
        if (id.blockLength() != d.blockSize) { // DISK BLOCK LENGTH must describe the unit as it is
            throw CheckCondition.invalidParameter(id.offset() + 29, -1);
        }
        return d;
    }

    /** A copy target's range, held exclusively: readers and writers alike wait until the segment is copied. */
    private static RangeLock.Held lock(Disk d, long lba, long blocks) {
        return d.locks.lock(lba, blocks, RangeLock.Mode.EXCLUSIVE);
    }

    /** COPY ABORTED with a segment pointer (SKSV set, SD clear: the field pointer counts from the list's start). */
    static CheckCondition aborted(AdditionalSense asc, int fieldPointer) {
        int segmentPointer = 0x80_0000 | (fieldPointer & 0xFFFF);
        return new CheckCondition(new SenseData(SenseKey.COPY_ABORTED, asc, 0, false, segmentPointer));
    }
}
