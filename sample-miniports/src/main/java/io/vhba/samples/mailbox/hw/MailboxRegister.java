package io.vhba.samples.mailbox.hw;

import io.vhba.samples.common.hw.BusInfo;
import io.vhba.samples.common.hw.LunReset;
import io.vhba.samples.common.hw.RegisterArray;

/**
 * BAR0 of the mailbox controller: the register names and offsets of the datasheet, with
 * their bit fields as nested constant classes. Every register is a 32-bit DWORD and is
 * accessed as one.
 *
 * <p>This class, {@link MailboxLayout}, {@link HostStatus}, {@link SlotDirection} and
 * {@link FatalCode} form the controller's "header": they import only the JDK, so the
 * miniport includes them the way a C miniport includes its vendor's register header and
 * still compiles against miniport-api alone. The access mode and side effects of each
 * register are the device's business: see {@link MailboxController} and the README.
 */
public enum MailboxRegister implements RegisterArray {
    /** RO. {@code [31:16]} major, {@code [15:0]} minor. */
    VERSION(0x000),
    /** RO. See {@link Caps}. */
    CAPS(0x004),
    /** RW. See {@link Control}. */
    CONTROL(0x008),
    /** RO. See {@link Status}. */
    STATUS(0x00C),
    /** RW. Physical address of the slot array, bits 31:0; 64-byte aligned. Latched at ENABLE. */
    SLOT_BASE_LO(0x010),
    /** RW. Physical address of the slot array, bits 63:32. */
    SLOT_BASE_HI(0x014),
    /** RW. Slots in the array, 1..MAX_SLOTS. Latched at ENABLE. */
    NUM_SLOTS(0x018),
    /** RW. Completion queues (= interrupt vectors) in use, 1..MSIX_COUNT. Latched at ENABLE. */
    NUM_VECTORS(0x01C),
    /** RW. Physical address of completion queue 0, bits 31:0; 8-byte aligned. Queue v follows at v * CQ_DEPTH * 8. */
    CQ_BASE_LO(0x020),
    /** RW. Bits 63:32 of the completion queue base. */
    CQ_BASE_HI(0x024),
    /** RW. Entries per completion queue, NUM_SLOTS + 1 .. 65536. Latched at ENABLE. */
    CQ_DEPTH(0x028),
    /** W1C. Line-interrupt mode: bit v set while vector v has raised an interrupt the driver has not acknowledged. */
    INTR_STATUS(0x02C),
    /** RW. Bit v masks vector v (MSI-X: held pending until unmasked; line mode: excluded from the line). */
    INTR_MASK(0x030),
    /** WO. Write a slot index: the device latches that slot's command area and runs it. */
    DOORBELL(0x034),
    /** WO. Write a slot index: a pending command in that slot completes with ABORTED before the write returns. */
    ABORT(0x038),
    /** WO. See {@link LunReset}: pending commands of that unit complete with RESET before the write returns. */
    LUN_RESET(0x03C),
    /** RO. See {@link BusInfo}. */
    BUS_INFO(0x040),
    /** RO. The most data entries one slot's scatter/gather list may have. */
    SG_LIMIT(0x044),
    /** WO, one per vector, 4 bytes apart: the driver's new head of completion queue v (re-arms vector v). */
    CQ_HEAD(0x100, Caps.MAX_VECTORS);

    private final int offset;
    private final int count;

    MailboxRegister(int offset) {
        this(offset, 1);
    }

    /** A register array of {@code count} DWORDs, 4 bytes apart. */
    MailboxRegister(int offset, int count) {
        this.offset = offset;
        this.count = count;
    }

    @Override
    public int offset() {
        return offset;
    }

    @Override
    public int count() {
        return count;
    }

    @Override
    public int stride() {
        return 4;
    }

    /** CAPS fields. */
    public static final class Caps {
        private Caps() {}

        /** INTR_STATUS and INTR_MASK hold one bit per vector: at most 32. */
        public static final int MAX_VECTORS = 32;

        public static int encode(int maxSlots, int msixCount) {
            return (maxSlots & 0xFFFF) | (msixCount & 0xFF) << 16;
        }

        /** {@code [15:0]} MAX_SLOTS. */
        public static int maxSlots(int caps) {
            return caps & 0xFFFF;
        }

        /** {@code [23:16]} MSIX_COUNT: the MSI-X table size. */
        public static int msixCount(int caps) {
            return (caps >>> 16) & 0xFF;
        }
    }

    /** CONTROL bits. */
    public static final class Control {
        private Control() {}

        /** 0 -> 1 latches the configuration registers and sets STATUS.READY; 1 -> 0 stops the device as RESET does, keeping the registers. */
        public static final int ENABLE = 1;
        /** Self-clearing: cancels every pending slot and returns every register to its reset value. */
        public static final int RESET = 1 << 1;
        /** Interrupts may be raised at all. */
        public static final int INTR_ENABLE = 1 << 2;
        /** 1: one MSI-X message per vector; 0: the INTx line, with INTR_STATUS. */
        public static final int MSIX_ENABLE = 1 << 3;
    }

    /** STATUS fields. */
    public static final class Status {
        private Status() {}

        /** Enabled with a valid configuration; doorbells are accepted. */
        public static final int READY = 1;
        /** The device stopped on a driver error; {@link #fatalCode} says which. Only RESET recovers. */
        public static final int FATAL = 1 << 1;

        public static int encode(boolean ready, FatalCode fatal) {
            return (ready ? READY : 0) | (fatal != FatalCode.NONE ? FATAL : 0) | fatal.code() << 8;
        }

        /** {@code [15:8]} FATAL_CODE. */
        public static FatalCode fatalCode(int status) {
            return FatalCode.of((status >>> 8) & 0xFF);
        }
    }
}
