package io.vhba.samples.common;

import io.vhba.miniport.MemoryBuffer;
import io.vhba.miniport.ScatterGatherList;
import io.vhba.miniport.Srb;
import io.vhba.miniport.SrbFlags;
import io.vhba.miniport.StorPort;
import io.vhba.samples.common.hw.SgEntry;

/**
 * The parts of turning an SRB into a device request that are the same for every sample: the
 * SAM-5 task attribute, and the port's scatter/gather list rewritten in the hardware
 * {@link SgEntry} format. Where the request goes (a slot, a ring entry, a command block) is
 * each sample's own.
 */
public final class SrbTranslation {
    private SrbTranslation() {}

    /** SRB QueueAction (SIMPLE 0x20, HEAD OF QUEUE 0x21, ORDERED 0x22) to the SAM-5 task attribute (0 SIMPLE, 1 ORDERED, 2 HEAD OF QUEUE). */
    public static int taskAttribute(Srb srb) {
        if ((srb.srbFlags() & SrbFlags.QUEUE_ACTION_ENABLE) == 0) {
            return 0;
        }
        return switch (srb.queueAction()) {
            case 0x21 -> 2;
            case 0x22 -> 1;
            default -> 0;
        };
    }

    /**
     * HwStorBuildIo's translation (DISPATCH_LEVEL): takes the port's list with
     * StorPortGetScatterGatherList and writes it, entry by entry, at {@code listOffset} of the SRB
     * extension {@code sx}. Returns the entries written, or -1 when the port gave no list, an empty
     * one, or one longer than {@code maxElements} (NumberOfPhysicalBreaks + 1: the port splits or
     * refuses longer transfers, so that is a port bug and the caller answers INVALID_REQUEST).
     */
    public static int writeScatterGatherList(StorPort port, Object deviceExtension, Srb srb, int maxElements,
                                             MemoryBuffer sx, int listOffset) {
        ScatterGatherList sgl = port.getScatterGatherList(deviceExtension, srb);
        int count = sgl == null ? 0 : sgl.numberOfElements();
        if (count == 0 || count > maxElements) {
            return -1;
        }
        for (int i = 0; i < count; i++) {
            int entry = listOffset + i * SgEntry.SIZE;
            sx.putLong(entry + SgEntry.ADDRESS, sgl.physicalAddress(i));
            sx.putInt(entry + SgEntry.LENGTH, sgl.length(i));
            sx.putInt(entry + SgEntry.RESERVED, 0);
        }
        return count;
    }
}
