package io.vhba.samples.ring;

import io.vhba.miniport.MemoryBuffer;
import io.vhba.miniport.Srb;
import io.vhba.miniport.StorDpc;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The driver's side of one queue pair: its two rings in the uncached extension, the MSI-X message
 * its completions raise, the DPC that completes them, and the state the submission and completion
 * paths share. Every mutable field below is guarded by the message's MSI spin lock: StartIo and
 * the DPC take it with {@code StorPortAcquireMSISpinLock}, the ISR holds it implicitly
 * (InterruptSynchronizePerMessage), ResetBus and AdapterControl take every message's at once
 * (the interrupt lock). Since each processor submits on its own pair and the pair's message comes
 * back to that processor, the lock is almost never contended: it guards against the rare cases
 * (a reset, an abort from another processor, fewer pairs than processors).
 */
final class QueuePair {
    /** Completions the ISR took off the completion ring and the DPC has not completed yet. */
    static final class Batch {
        final Srb[] srb;
        final int[] commandId;
        /** The completion entry's TRANSFERRED (bits 31:0) and its dword 2 (SCSI status, host status, sense length; bits 63:32). */
        final long[] info;
        int count;

        Batch(int capacity) {
            srb = new Srb[capacity];
            commandId = new int[capacity];
            info = new long[capacity];
        }

        void add(Srb s, int id, long completion) {
            srb[count] = s;
            commandId[count] = id;
            info[count] = completion;
            count++;
        }
    }

    final int id;
    /** The MSI-X message (QUEUE_VECTOR) of the pair. */
    final int message;
    /** Entries per ring (QUEUE_SIZE); at most size - 1 commands are outstanding, so neither ring can overflow. */
    final int size;
    final StorDpc dpc = new StorDpc();
    final MemoryBuffer sq;
    final long sqPhysical;
    final MemoryBuffer cq;
    final long cqPhysical;

    int sqTail;
    int cqHead;
    int phase = 1;
    /** The SRB the device holds under each COMMAND_ID; null once the ISR harvested its completion. */
    final Srb[] srbs;
    private final int[] freeIds;
    private int freeCount;
    /** Harvested by the ISR; the DPC swaps it for {@link #spare} and completes it outside the lock. */
    Batch harvested;
    /** A drained batch kept for reuse, so the hot path allocates nothing (InterlockedExchangePointer in C). */
    final AtomicReference<Batch> spare = new AtomicReference<>();

    QueuePair(int id, int message, int size, MemoryBuffer sq, long sqPhysical, MemoryBuffer cq, long cqPhysical) {
        this.id = id;
        this.message = message;
        this.size = size;
        this.sq = sq;
        this.sqPhysical = sqPhysical;
        this.cq = cq;
        this.cqPhysical = cqPhysical;
        this.srbs = new Srb[size];
        this.freeIds = new int[size - 1];
        for (int i = size - 2; i >= 0; i--) {
            freeIds[freeCount++] = i; // ID 0 on top
        }
        this.harvested = new Batch(size);
    }

    /** A free COMMAND_ID, or -1 when size - 1 commands are outstanding. */
    int claimId() {
        return freeCount == 0 ? -1 : freeIds[--freeCount];
    }

    void freeId(int commandId) {
        freeIds[freeCount++] = commandId;
    }

    /** Back to the rings of a freshly enabled device: tail and head 0, expecting phase 1. IDs are freed by whoever completes their SRB. */
    void resetRings() {
        sqTail = 0;
        cqHead = 0;
        phase = 1;
        cq.fill(0, cq.length(), (byte) 0);
    }
}
