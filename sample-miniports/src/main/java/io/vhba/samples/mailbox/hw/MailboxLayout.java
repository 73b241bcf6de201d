package io.vhba.samples.mailbox.hw;

/**
 * The structures the mailbox controller shares with its driver in host memory, all
 * little-endian: the slot (command mailbox plus completion area), the hardware
 * scatter/gather entry and the completion queue entry. JDK-only, like {@link MailboxRegister}.
 */
public final class MailboxLayout {
    private MailboxLayout() {}

    /** One slot: bytes 0x00..0x37 are written by the driver, 0x38..0x5F by the device, the rest is reserved. */
    public static final class Slot {
        private Slot() {}

        public static final int SIZE = 128;
        /** The slot array base must be aligned to this. */
        public static final int ALIGNMENT = 64;

        // ---- command area: the driver fills it before ringing DOORBELL; the device latches it then
        /** u8: 1..{@link #CDB_MAX}. */
        public static final int CDB_LENGTH = 0x00;
        /** u8: a {@link SlotDirection} code. */
        public static final int DIRECTION = 0x01;
        /** u8: SAM-5 task attribute, 0 SIMPLE, 1 ORDERED, 2 HEAD OF QUEUE. */
        public static final int TASK_ATTRIBUTE = 0x02;
        /** u8: the vector (completion queue and interrupt) the completion goes to, below NUM_VECTORS. */
        public static final int VECTOR = 0x03;
        /** u8. */
        public static final int TARGET = 0x04;
        /** u8. */
        public static final int LUN = 0x05;
        /** u16: must be 0. */
        public static final int RESERVED_06 = 0x06;
        /** u32: bytes the command may move; 0 with direction NONE. */
        public static final int DATA_LENGTH = 0x08;
        /** u32: data entries in the scatter/gather list, up to SG_LIMIT. */
        public static final int SG_COUNT = 0x0C;
        /** u64: physical address of the scatter/gather list (16-byte entries, physically contiguous). */
        public static final int SG_ADDRESS = 0x10;
        /** u8[32]: the CDB. */
        public static final int CDB = 0x18;
        public static final int CDB_MAX = 32;
        /** Bytes the device latches at DOORBELL. */
        public static final int COMMAND_AREA_SIZE = CDB + CDB_MAX;

        // ---- completion area: the device writes it before posting the completion queue entry
        public static final int COMPLETION_AREA = 0x38;
        /** u8: SAM-5 status byte; meaningful with host status OK. */
        public static final int SCSI_STATUS = 0x38;
        /** u8: a {@link HostStatus} code. */
        public static final int HOST_STATUS = 0x39;
        /** u8: valid bytes in SENSE. */
        public static final int SENSE_LENGTH = 0x3A;
        /** u32: bytes actually moved in the data phase. */
        public static final int TRANSFERRED = 0x3C;
        /** u8[32]: sense data with CHECK CONDITION. */
        public static final int SENSE = 0x40;
        public static final int SENSE_MAX = 32;
        public static final int COMPLETION_AREA_SIZE = SENSE + SENSE_MAX - COMPLETION_AREA;
    }

    /**
     * One completion queue entry, NVMe-style: the device writes SLOT and then the dword with
     * the PHASE bit; the driver owns every entry whose phase equals its expected phase, which
     * starts at 1 (the driver zeroes the queues before ENABLE) and flips at each wrap.
     */
    public static final class CqEntry {
        private CqEntry() {}

        public static final int SIZE = 8;
        /** u32: the slot index that completed. */
        public static final int SLOT = 0x0;
        /** u32: bit 0 is the phase tag. */
        public static final int FLAGS = 0x4;
        public static final int PHASE = 1;
    }
}
