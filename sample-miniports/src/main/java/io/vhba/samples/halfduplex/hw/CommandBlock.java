package io.vhba.samples.halfduplex.hw;

/**
 * The command block: 80 bytes of host memory, little-endian, 8-byte aligned. The driver fills
 * the request half, the device fills the completion half before it posts the tag to DONE_TAG.
 */
public final class CommandBlock {
    private CommandBlock() {}

    /** u8: 1..16. */
    public static final int CDB_LENGTH = 0x00;
    /** u8: 0 NONE, 1 IN (device writes host memory), 2 OUT. */
    public static final int DIRECTION = 0x01;
    public static final int TARGET = 0x02;
    public static final int LUN = 0x03;
    /** u8: SAM-5 task attribute, 0 SIMPLE, 1 ORDERED, 2 HEAD OF QUEUE. */
    public static final int TASK_ATTRIBUTE = 0x04;
    /** u32: bytes of the data phase; 0 with DIRECTION NONE. */
    public static final int DATA_LENGTH = 0x08;
    /** u32: scatter/gather entries, at most SG_LIMIT; 0 with DIRECTION NONE. */
    public static final int SG_COUNT = 0x0C;
    /** u64: bus address of the scatter/gather list. */
    public static final int SG_ADDRESS = 0x10;
    /** u8[16]. */
    public static final int CDB = 0x18;
    public static final int CDB_MAX = 16;
    /** The request half the device latches at SUBMIT. */
    public static final int REQUEST_SIZE = 0x28;

    /** u8: SAM-5 status, valid with COMPLETION_CODE OK. */
    public static final int SCSI_STATUS = 0x28;
    /** u8: {@link CompletionCode}. */
    public static final int COMPLETION_CODE = 0x29;
    /** u8: valid bytes in SENSE. */
    public static final int SENSE_LENGTH = 0x2A;
    /** u32: bytes moved in the data phase. */
    public static final int TRANSFERRED = 0x2C;
    /** u8[32]. */
    public static final int SENSE = 0x30;
    public static final int SENSE_MAX = 32;
    public static final int COMPLETION = SCSI_STATUS;
    public static final int COMPLETION_SIZE = 0x50 - COMPLETION;

    public static final int SIZE = 0x50;
    public static final int ALIGNMENT = 8;

    /** Direction codes. */
    public static final int DIRECTION_NONE = 0;
    public static final int DIRECTION_IN = 1;
    public static final int DIRECTION_OUT = 2;
}
