package io.vhba.samples.ring.hw;

/** What the controller reports about a command besides the SCSI status (the completion entry's HOST_STATUS byte). */
public enum HostStatus {
    /** The command ran on the logical unit; SCSI_STATUS, TRANSFERRED and the sense data hold its answer. */
    OK(0),
    /** A DMA access for the command's list or data failed; the data may be partly moved. */
    DMA_ERROR(1),
    /** The submission entry or its list broke the datasheet rules; the command did not run. */
    INVALID(2),
    /** Cancelled by an ABORT write. */
    ABORTED(3),
    /** Cancelled by LUN_RESET. */
    RESET(4),
    /** The logical unit failed internally; whether the command took effect is unknown. */
    DEVICE_ERROR(5);

    private final int code;

    HostStatus(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** The status with this code; an unknown code is reported as {@link #DEVICE_ERROR}, never guessed as OK. */
    public static HostStatus of(int code) {
        for (HostStatus s : values()) {
            if (s.code == code) {
                return s;
            }
        }
        return DEVICE_ERROR;
    }
}
