package io.vhba.samples.halfduplex.hw;

import io.vhba.samples.common.hw.BusInfo;
import io.vhba.samples.common.hw.RegisterArray;

/**
 * BAR0 of the half-duplex controller: register names and offsets of the datasheet (README.md
 * in {@code io/vhba/samples/halfduplex}), with their bit fields as nested constant classes.
 * Every register is a 32-bit DWORD.
 *
 * <p>With {@link CommandBlock}, {@link CompletionCode} and {@link FatalCode} this is the
 * controller's "vendor header": JDK only, so the miniport compiles against miniport-api and
 * these alone. Access modes and side effects are the device's business ({@link HalfDuplexController}).
 */
public enum HalfDuplexRegister implements RegisterArray {
    /** RO. {@code [31:16]} major, {@code [15:0]} minor. */
    VERSION(0x00),
    /** RO. See {@link Caps}. */
    CAPS(0x04),
    /** RW. See {@link Control}. */
    CONTROL(0x08),
    /** RO. See {@link Status}. */
    STATUS(0x0C),
    /** RW. Physical address of the command block the next SUBMIT latches, bits 31:0; 8-byte aligned. */
    CB_ADDR_LO(0x10),
    /** RW. Bits 63:32 of that address. */
    CB_ADDR_HI(0x14),
    /** WO. A tag, below CAPS.TAGS and not running: latch the command block at CB_ADDR and run it under that tag. */
    SUBMIT(0x18),
    /** RC. See {@link IntrStatus}: reading returns the pending causes and clears them (the acknowledge). */
    INTR_STATUS(0x1C),
    /** RO, read pops. See {@link DoneTag}: the next finished tag, or EMPTY. */
    DONE_TAG(0x20),
    /** RO. See {@link BusInfo}. */
    BUS_INFO(0x24),
    /** RO. The most scatter/gather entries one command block may point to. */
    SG_LIMIT(0x28);

    /** BAR0 length. */
    public static final int BAR0_SIZE = 0x100;

    private final int offset;

    HalfDuplexRegister(int offset) {
        this.offset = offset;
    }

    @Override
    public int offset() {
        return offset;
    }

    /** No register of this controller is an array. */
    @Override
    public int count() {
        return 1;
    }

    @Override
    public int stride() {
        return 0;
    }

    /** CAPS fields. */
    public static final class Caps {
        private Caps() {}

        /** {@code [15:0]} TAGS: commands the controller holds at once (tags 0..TAGS-1). */
        public static int tags(int caps) {
            return caps & 0xFFFF;
        }
    }

    /** CONTROL bits. */
    public static final class Control {
        private Control() {}

        /** 0 -> 1 sets STATUS.READY; 1 -> 0 stops the device as RESET does, keeping the registers. */
        public static final int ENABLE = 1;
        /** Self-clearing: drops every running command, empties DONE_TAG, returns every register to reset. */
        public static final int RESET = 1 << 1;
        /** The INTx line may be asserted at all. */
        public static final int INTR_ENABLE = 1 << 2;
    }

    /** STATUS fields. */
    public static final class Status {
        private Status() {}

        /** Enabled; SUBMIT is accepted. */
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

    /**
     * INTR_STATUS causes. The INTx line is asserted while a cause is pending and
     * CONTROL.INTR_ENABLE is set; the read that returns the causes clears them, so the level
     * drops unless a new cause arrives meanwhile.
     */
    public static final class IntrStatus {
        private IntrStatus() {}

        /** DONE_TAG gained entries since the last read. */
        public static final int DONE = 1;
        /** STATUS.FATAL was set. */
        public static final int FATAL = 1 << 1;
    }

    /** DONE_TAG fields. */
    public static final class DoneTag {
        private DoneTag() {}

        /** Set when no finished tag is waiting: stop draining. */
        public static final int EMPTY = 1 << 31;

        /** {@code [15:0]} the finished tag. */
        public static int tag(int doneTag) {
            return doneTag & 0xFFFF;
        }
    }
}
