package io.vhba.samples.mailbox;

import io.vhba.miniport.MemoryBuffer;
import io.vhba.miniport.Srb;
import io.vhba.samples.common.Bar0;
import io.vhba.samples.mailbox.hw.MailboxLayout;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The device extension: one per adapter, created by the port from the factory in the
 * {@code HW_INITIALIZATION_DATA}, filled in by FindAdapter and read by every other callback.
 */
final class MailboxExtension {
    Bar0 registers;
    int slotCount;
    int messageCount;
    int queueDepth;
    /** NumberOfPhysicalBreaks + 1: the most scatter/gather elements the port sends. */
    int maxSgElements;
    /** The uncached extension's slot array and completion queues, and their bus addresses. */
    MemoryBuffer slotArea;
    long slotAreaPhysical;
    MemoryBuffer queueArea;
    long queueAreaPhysical;
    SlotBitmap slotBitmap;
    /** The SRB each claimed slot carries; whoever takes it out with getAndSet completes it, so nobody completes it twice. */
    AtomicReferenceArray<Srb> slotSrb;
    MessageQueue[] messages;

    MemoryBuffer slot(int slot) {
        return slotArea.slice(slot * MailboxLayout.Slot.SIZE, MailboxLayout.Slot.SIZE);
    }
}
