package io.vhba.miniport;

/**
 * {@code SRB_STATUS_*} (srb.h). The status byte also carries two flags,
 * {@link #AUTOSENSE_VALID} and {@link #QUEUE_FROZEN}; a miniport sets the former and never
 * the latter (STORPORT.md, "Status rules").
 */
public enum SrbStatus {
    PENDING(0x00),
    SUCCESS(0x01),
    ABORTED(0x02),
    ABORT_FAILED(0x03),
    ERROR(0x04),
    BUSY(0x05),
    INVALID_REQUEST(0x06),
    INVALID_PATH_ID(0x07),
    NO_DEVICE(0x08),
    TIMEOUT(0x09),
    SELECTION_TIMEOUT(0x0A),
    COMMAND_TIMEOUT(0x0B),
    MESSAGE_REJECTED(0x0D),
    BUS_RESET(0x0E),
    PARITY_ERROR(0x0F),
    REQUEST_SENSE_FAILED(0x10),
    NO_HBA(0x11),
    DATA_OVERRUN(0x12),
    UNEXPECTED_BUS_FREE(0x13),
    PHASE_SEQUENCE_FAILURE(0x14),
    BAD_SRB_BLOCK_LENGTH(0x15),
    REQUEST_FLUSHED(0x16),
    INVALID_LUN(0x20),
    INVALID_TARGET_ID(0x21),
    BAD_FUNCTION(0x22),
    ERROR_RECOVERY(0x23),
    NOT_POWERED(0x24),
    LINK_DOWN(0x25),
    INSUFFICIENT_RESOURCES(0x26),
    THROTTLED_REQUEST(0x27),
    INTERNAL_ERROR(0x30);

    /** {@code SRB_STATUS_QUEUE_FROZEN}: set by the port only. */
    public static final int QUEUE_FROZEN = 0x40;
    /** {@code SRB_STATUS_AUTOSENSE_VALID}: the sense buffer holds valid sense data. */
    public static final int AUTOSENSE_VALID = 0x80;

    private static final SrbStatus[] BY_CODE = new SrbStatus[0x40];

    static {
        for (SrbStatus s : values()) {
            BY_CODE[s.code] = s;
        }
    }

    private final int code;

    SrbStatus(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** {@code SRB_STATUS(status)}: the status with the flag bits masked off; null if undefined. */
    public static SrbStatus of(int statusByte) {
        return BY_CODE[statusByte & 0x3F];
    }
}
