package io.vhba.samples.mailbox.hw;

/**
 * The configuration registers as the device latched them at ENABLE: later writes to those
 * registers do not move queues under a running device.
 */
record ActiveConfig(long slotBase, int numSlots, int numVectors, long cqBase, int cqDepth) {

    long slotAddress(int slot) {
        return slotBase + (long) slot * MailboxLayout.Slot.SIZE;
    }

    long cqEntryAddress(int vector, int index) {
        return cqBase + ((long) vector * cqDepth + index) * MailboxLayout.CqEntry.SIZE;
    }
}
