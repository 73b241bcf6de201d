package io.vhba.samples.ring.hw;

import io.vhba.hw.Dma;
import io.vhba.hw.DmaFault;
import io.vhba.samples.ring.hw.RingLayout.CqEntry;
import io.vhba.samples.ring.hw.RingLayout.SqEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The device side of one queue pair, as latched at ENABLE: the two rings, their size and vector,
 * the submission head, the completion tail and phase, the driver's completion head, and the
 * commands pending under each COMMAND_ID. A new ENABLE builds new queues; a stopped queue posts
 * nothing more, so a command that outlives a reset cannot write into the rings of the next
 * configuration.
 *
 * <p>Interrupt moderation, datasheet rule: the vector is <em>armed</em> after ENABLE and after
 * each CQ_HEAD write; raising it disarms it, so entries posted before the driver hands the ring
 * back share one message.
 */
final class DeviceQueue {
    /** A driver error the queue found: the controller stops with this code. */
    static final class Fatal extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final FatalCode code;

        Fatal(FatalCode code) {
            super(code.meaning(), null, false, false);
            this.code = code;
        }
    }

    final int id;
    final long sqBase;
    final long cqBase;
    final int size;
    final int vector;
    /** The command pending under each COMMAND_ID; cleared before its completion entry becomes visible. */
    final AtomicReferenceArray<RingCommand> pending;

    private int sqHead;
    private int cqTail;
    private int cqHead;
    private int phase = 1;
    private boolean armed = true;
    private boolean stopped;

    DeviceQueue(int id, long sqBase, long cqBase, int size, int vector) {
        this.id = id;
        this.sqBase = sqBase;
        this.cqBase = cqBase;
        this.size = size;
        this.vector = vector;
        this.pending = new AtomicReferenceArray<>(size);
    }

    long sqEntryAddress(int index) {
        return sqBase + (long) index * SqEntry.SIZE;
    }

    /**
     * SQ_TAIL written: fetches every entry from the head up to {@code tail} and makes each pending
     * under its COMMAND_ID. Throws {@link Fatal} for a tail or COMMAND_ID out of range, a COMMAND_ID
     * still pending, or an entry that cannot be read.
     */
    synchronized List<RingCommand> fetch(int tail, Dma dma, int sgLimit) {
        if (stopped) {
            return List.of();
        }
        if (tail < 0 || tail >= size) {
            throw new Fatal(FatalCode.BAD_DOORBELL);
        }
        List<RingCommand> fetched = new ArrayList<>(tail >= sqHead ? tail - sqHead : tail + size - sqHead);
        while (sqHead != tail) {
            RingCommand c;
            try {
                c = RingCommand.fetch(this, sqHead, dma, sgLimit);
            } catch (DmaFault f) {
                throw new Fatal(FatalCode.DMA_FAULT);
            }
            if (c.commandId >= size || !pending.compareAndSet(c.commandId, null, c)) {
                throw new Fatal(FatalCode.BAD_COMMAND_ID);
            }
            fetched.add(c);
            sqHead = sqHead + 1 == size ? 0 : sqHead + 1;
        }
        return fetched;
    }

    /**
     * Posts the completion entry of {@code c}: dwords 0-2, then the dword with the phase tag (posted
     * writes in order: the driver trusts the rest once it sees the phase). False, posting nothing,
     * when the queue stopped since the command was fetched. Throws {@link Fatal} when the ring is full
     * or the entry cannot be written.
     */
    synchronized boolean post(RingCommand c, HostStatus host, int scsiStatus, int transferred, int senseLength, Dma dma) {
        if (stopped) {
            return false;
        }
        int next = cqTail + 1 == size ? 0 : cqTail + 1;
        if (next == cqHead) {
            throw new Fatal(FatalCode.CQ_OVERFLOW);
        }
        pending.compareAndSet(c.commandId, c, null); // the driver may reuse the ID as soon as it sees the entry
        long entry = cqBase + (long) cqTail * CqEntry.SIZE;
        try {
            dma.writeLong(entry + CqEntry.COMMAND_ID, (c.commandId & 0xFFFFL) | (sqHead & 0xFFFFL) << 16
                    | (transferred & 0xFFFF_FFFFL) << 32);
            dma.writeInt(entry + CqEntry.SCSI_STATUS, (scsiStatus & 0xFF) | host.code() << 8 | (senseLength & 0xFF) << 16);
            dma.writeInt(entry + CqEntry.SQ_ID, (id & 0xFFFF) | (phase & CqEntry.PHASE) << 16);
        } catch (DmaFault f) {
            throw new Fatal(FatalCode.DMA_FAULT);
        }
        cqTail = next;
        if (next == 0) {
            phase ^= 1;
        }
        return true;
    }

    /** Claims the right to send the vector: true if armed with entries past the driver's head, and disarms it. */
    synchronized boolean claimRaise() {
        if (stopped || !armed || cqTail == cqHead) {
            return false;
        }
        armed = false;
        return true;
    }

    /** CQ_HEAD written: the entries before {@code head} are the device's again, and the vector re-arms. */
    synchronized void headWritten(int head) {
        if (head < 0 || head >= size) {
            throw new Fatal(FatalCode.BAD_DOORBELL);
        }
        cqHead = head;
        armed = true;
    }

    /** RESET, disable or FATAL: nothing more is fetched or posted. */
    synchronized void stop() {
        stopped = true;
    }
}
