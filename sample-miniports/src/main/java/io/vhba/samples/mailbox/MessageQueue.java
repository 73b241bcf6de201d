package io.vhba.samples.mailbox;

import io.vhba.miniport.StorDpc;

/**
 * The miniport's side of one MSI-X message: its completion queue's head and expected
 * phase, the slots its ISR drained and its DPC has not taken yet, and that DPC. Every
 * field but {@link #dpc} is guarded by the message's MSI spin lock: the ISR holds it
 * implicitly (InterruptSynchronizePerMessage), the DPC and ResetBus take it with
 * {@code StorPortAcquireMSISpinLock}.
 */
final class MessageQueue {
    final int messageId;
    final StorDpc dpc = new StorDpc();
    /** Byte offset of this queue in the completion queue area. */
    final int queueOffset;
    int head;
    int phase = 1;
    final int[] completed;
    int completedCount;

    MessageQueue(int messageId, int queueOffset, int slots) {
        this.messageId = messageId;
        this.queueOffset = queueOffset;
        this.completed = new int[slots];
    }

    /** Back to the state of a freshly enabled device: head 0, expecting phase 1, nothing drained. */
    void reset() {
        head = 0;
        phase = 1;
        completedCount = 0;
    }
}
