package io.vhba.samples.halfduplex;

import io.vhba.miniport.Srb;
import io.vhba.miniport.StorDpc;
import io.vhba.samples.common.Bar0;

/**
 * The device extension. In half duplex StartIo and the ISR both run holding the interrupt
 * lock (so does ResetBus), which is why the tag table below is plain arrays with no atomics:
 * the port's synchronisation model is the lock.
 */
final class HalfDuplexExtension {
    Bar0 registers;
    int tagCount;
    int targets;
    int luns;
    /** NumberOfPhysicalBreaks + 1. */
    int maxSgElements;

    /** Guarded by the interrupt lock: the SRB each tag carries, and the stack of free tags. */
    Srb[] tagSrb;
    int[] freeTags;
    int freeCount;

    /** One per target:LUN, {@code target * luns + lun}. */
    LunQueueDepth[] lunDepth;
    /** Raises a LUN's queue depth outside the interrupt lock (StorPortSetDeviceQueueDepth may start requests). */
    final StorDpc depthDpc = new StorDpc();

    /** A LUN's queue depth as the driver wants it and whether the port has taken it. */
    static final class LunQueueDepth {
        /** Written only by the ISR (0: INQUIRY not seen yet); read by the DPC. One writer, one word: no lock. */
        volatile int wanted;
        /** Written only by the DPC. */
        volatile boolean applied;
    }

    int claimTag() {
        return freeCount == 0 ? -1 : freeTags[--freeCount];
    }

    void freeTag(int tag) {
        freeTags[freeCount++] = tag;
    }

    void resetTags() {
        for (int t = 0; t < tagCount; t++) {
            tagSrb[t] = null;
            freeTags[t] = tagCount - 1 - t; // tag 0 is claimed first
        }
        freeCount = tagCount;
    }

    /** The LUN's slot in {@link #lunDepth}, or null for an address outside BUS_INFO. */
    LunQueueDepth depth(int targetId, int lun) {
        if (targetId < 0 || targetId >= targets || lun < 0 || lun >= luns) {
            return null;
        }
        return lunDepth[targetId * luns + lun];
    }
}
