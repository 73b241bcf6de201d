package io.vhba.samples.ring.hw;

/**
 * The structures the ring controller shares with its driver in host memory, all little-endian:
 * the submission entry (64 bytes), the completion entry (16 bytes, NVMe style, with the phase
 * tag in its last dword) and the scatter/gather entry. JDK only, like {@link RingRegister}.
 */
public final class RingLayout {
    private RingLayout() {}

    /** One submission entry: written by the driver, read by the device when the SQ_TAIL doorbell passes it. */
    public static final class SqEntry {
        private SqEntry() {}

        public static final int SIZE = 64;
        /** The submission ring base must be aligned to this. */
        public static final int ALIGNMENT = 64;
        /** u16: the driver's tag, below QUEUE_SIZE and not pending in this queue; the completion entry echoes it. */
        public static final int COMMAND_ID = 0x00;
        /** u8: 1..{@link #CDB_MAX}. */
        public static final int CDB_LENGTH = 0x02;
        /** u8: {@code [1:0]} a {@link Direction} code, {@code [3:2]} SAM-5 task attribute (0 SIMPLE, 1 ORDERED, 2 HEAD OF QUEUE), rest 0. */
        public static final int FLAGS = 0x03;
        /** u8. */
        public static final int TARGET = 0x04;
        /** u8. */
        public static final int LUN = 0x05;
        /** u16: bytes available at SENSE_ADDRESS (0: the driver wants no sense data). */
        public static final int SENSE_LENGTH = 0x06;
        /** u32: bytes the command may move; 0 with direction NONE. */
        public static final int DATA_LENGTH = 0x08;
        /** u32: entries in the scatter/gather list, up to SG_LIMIT; 0 with direction NONE. */
        public static final int SG_COUNT = 0x0C;
        /** u64: bus address of the scatter/gather list (16-byte entries, physically contiguous). */
        public static final int SG_ADDRESS = 0x10;
        /** u64: where the device writes sense data with CHECK CONDITION. */
        public static final int SENSE_ADDRESS = 0x18;
        /** u8[32]: the CDB. */
        public static final int CDB = 0x20;
        public static final int CDB_MAX = 32;

        public static int flags(Direction direction, int taskAttribute) {
            return direction.code() | (taskAttribute & 3) << 2;
        }

        public static Direction direction(int flags) {
            return Direction.of(flags & 3);
        }

        public static int taskAttribute(int flags) {
            return (flags >>> 2) & 3;
        }
    }

    /**
     * One completion entry. The device writes dwords 0-2 first and dword 3, which carries the phase
     * tag, last; the driver owns every entry whose phase equals the phase it expects, which starts
     * at 1 (the driver zeroes the ring before ENABLE) and flips each time its head wraps.
     */
    public static final class CqEntry {
        private CqEntry() {}

        public static final int SIZE = 16;
        /** u16: the COMMAND_ID of the submission entry. */
        public static final int COMMAND_ID = 0x00;
        /** u16: the submission ring's head when the entry was posted (how far the device has fetched). */
        public static final int SQ_HEAD = 0x02;
        /** u32: bytes moved in the data phase. */
        public static final int TRANSFERRED = 0x04;
        /** u8: SAM-5 status byte, meaningful with host status OK. */
        public static final int SCSI_STATUS = 0x08;
        /** u8: a {@link HostStatus} code. */
        public static final int HOST_STATUS = 0x09;
        /** u8: sense bytes written at SENSE_ADDRESS. */
        public static final int SENSE_LENGTH = 0x0A;
        /** u16: the queue the entry belongs to. */
        public static final int SQ_ID = 0x0C;
        /** u16: bit 0 is the phase tag. */
        public static final int STATUS = 0x0E;
        public static final int PHASE = 1;
    }
}
