package io.vhba.samples.ring.hw;

import io.vhba.samples.common.hw.BusInfo;
import io.vhba.samples.common.hw.LunReset;
import io.vhba.samples.common.hw.RegisterArray;

/**
 * BAR0 of the ring controller: the register names and offsets of the datasheet (README.md in
 * {@code io/vhba/samples/ring}), with their bit fields as nested constant classes. Every register
 * is a 32-bit DWORD. Per-queue registers are arrays: element {@code q} of a register sits at
 * {@code offset + q * stride}.
 *
 * <p>With {@link RingLayout}, {@link HostStatus}, {@link Direction} and {@link FatalCode} this is
 * the controller's "vendor header": JDK only, so the miniport compiles against miniport-api and
 * these alone. Access modes and side effects are the device's business ({@link RingController}).
 */
public enum RingRegister implements RegisterArray {
    /** RO. {@code [31:16]} major, {@code [15:0]} minor. */
    VERSION(0x000),
    /** RO. See {@link Caps}. */
    CAPS(0x004),
    /** RW. See {@link Control}. */
    CONTROL(0x008),
    /** RO. See {@link Status}. */
    STATUS(0x00C),
    /** RW. Queue pairs in use, 1..MAX_QUEUES. Latched at ENABLE. */
    NUM_QUEUES(0x010),
    /** RO. See {@link BusInfo}. */
    BUS_INFO(0x014),
    /** RO. The most data entries one command's scatter/gather list may have. */
    SG_LIMIT(0x018),
    /** WO. See {@link Abort}: that command completes ABORTED through its queue before the write returns. */
    ABORT(0x01C),
    /** WO. See {@link LunReset}: that unit's commands complete RESET through their queues before the write returns. */
    LUN_RESET(0x020),
    /** RW, per queue. Submission ring bus address, bits 31:0; 64-byte aligned. Latched at ENABLE. */
    SQ_BASE_LO(0x100, Caps.MAX_QUEUES, 0x20),
    /** RW, per queue. Submission ring bus address, bits 63:32. */
    SQ_BASE_HI(0x104, Caps.MAX_QUEUES, 0x20),
    /** RW, per queue. Completion ring bus address, bits 31:0; 16-byte aligned. Latched at ENABLE. */
    CQ_BASE_LO(0x108, Caps.MAX_QUEUES, 0x20),
    /** RW, per queue. Completion ring bus address, bits 63:32. */
    CQ_BASE_HI(0x10C, Caps.MAX_QUEUES, 0x20),
    /** RW, per queue. Entries in both rings of the pair, 2..MAX_QUEUE_ENTRIES. Latched at ENABLE. */
    QUEUE_SIZE(0x110, Caps.MAX_QUEUES, 0x20),
    /** RW, per queue. The MSI-X message the pair's completions raise, below MSIX_COUNT. Latched at ENABLE. */
    QUEUE_VECTOR(0x114, Caps.MAX_QUEUES, 0x20),
    /** WO, per queue: the submission tail doorbell. The device fetches every entry from its head up to this index. */
    SQ_TAIL(0x1000, Caps.MAX_QUEUES, 8),
    /** WO, per queue: the completion head doorbell. Entries before this index are the device's again; re-arms the vector. */
    CQ_HEAD(0x1004, Caps.MAX_QUEUES, 8);

    /** BAR0 length: the configuration page and the doorbell page. */
    public static final int BAR0_SIZE = 0x2000;

    private final int offset;
    private final int count;
    private final int stride;

    RingRegister(int offset) {
        this(offset, 1, 0);
    }

    /** A per-queue register: element {@code q} at {@code offset + q * stride}. */
    RingRegister(int offset, int count, int stride) {
        this.offset = offset;
        this.count = count;
        this.stride = stride;
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
        return stride;
    }

    /** CAPS fields. */
    public static final class Caps {
        private Caps() {}

        /** The most queue pairs the register map has room for (and MSI-X messages the device has). */
        public static final int MAX_QUEUES = 64;

        public static int encode(int maxQueueEntries, int maxQueues) {
            return (maxQueueEntries & 0xFFFF) | (maxQueues & 0xFF) << 16;
        }

        /** {@code [15:0]} MAX_QUEUE_ENTRIES: the largest QUEUE_SIZE. */
        public static int maxQueueEntries(int caps) {
            return caps & 0xFFFF;
        }

        /** {@code [23:16]} MAX_QUEUES: queue pairs (and MSI-X messages) the device has. */
        public static int maxQueues(int caps) {
            return (caps >>> 16) & 0xFF;
        }
    }

    /** CONTROL bits. */
    public static final class Control {
        private Control() {}

        /** 0 -> 1 latches the queue registers and sets STATUS.READY; 1 -> 0 stops the device as RESET does, keeping the registers. */
        public static final int ENABLE = 1;
        /** Self-clearing: forgets every command and returns every register to its reset value. */
        public static final int RESET = 1 << 1;
        /** MSI-X messages may be sent at all; setting it sends what waits. */
        public static final int INTR_ENABLE = 1 << 2;
    }

    /** STATUS fields. */
    public static final class Status {
        private Status() {}

        /** Enabled with a valid configuration: doorbells are accepted. */
        public static final int READY = 1;
        /** Stopped on a driver error; {@link #fatalCode} says which. Only RESET recovers. */
        public static final int FATAL = 1 << 1;

        public static int encode(boolean ready, FatalCode fatal) {
            return (ready ? READY : 0) | (fatal != FatalCode.NONE ? FATAL : 0) | fatal.code() << 8;
        }

        /** {@code [15:8]} FATAL_CODE. */
        public static FatalCode fatalCode(int status) {
            return FatalCode.of((status >>> 8) & 0xFF);
        }
    }

    /** ABORT fields. */
    public static final class Abort {
        private Abort() {}

        /** {@code [15:0]} COMMAND_ID, {@code [31:16]} QUEUE. */
        public static int encode(int queue, int commandId) {
            return (queue & 0xFFFF) << 16 | (commandId & 0xFFFF);
        }

        public static int queue(int value) {
            return value >>> 16;
        }

        public static int commandId(int value) {
            return value & 0xFFFF;
        }
    }
}
