package io.vhba.samples.mailbox;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Which slots hold an outstanding SRB: an interlocked bitmap, since StartIo claims slots
 * under the StartIo lock while DPCs on other processors free them under no common lock
 * (the C idiom is {@code InterlockedOr} / {@code InterlockedAnd} on a ULONG64 array).
 */
final class SlotBitmap {
    private final AtomicLongArray words;
    private final int slots;

    SlotBitmap(int slots) {
        this.slots = slots;
        this.words = new AtomicLongArray((slots + 63) / 64);
    }

    /** Claims the lowest free slot; -1 when all are busy. */
    int claim() {
        for (int w = 0; w < words.length(); w++) {
            while (true) {
                long word = words.get(w);
                int bit = Long.numberOfTrailingZeros(~word);
                int slot = w * 64 + bit;
                if (bit == 64 || slot >= slots) {
                    break;
                }
                if (words.compareAndSet(w, word, word | 1L << bit)) {
                    return slot;
                }
            }
        }
        return -1;
    }

    void free(int slot) {
        long bit = 1L << (slot & 63);
        long word;
        do {
            word = words.get(slot >>> 6);
            if ((word & bit) == 0) {
                throw new IllegalStateException("slot " + slot + " freed twice");
            }
        } while (!words.compareAndSet(slot >>> 6, word, word & ~bit));
    }

    boolean isClaimed(int slot) {
        return (words.get(slot >>> 6) & 1L << (slot & 63)) != 0;
    }

    int size() {
        return slots;
    }
}
