package io.vhba.samples.mailbox.hw;

/** What the controller reports about a slot besides the SCSI status (the completion area's HOST_STATUS byte). */
public enum HostStatus {
    /** The command ran on the logical unit; SCSI_STATUS, TRANSFERRED and SENSE hold its answer. */
    OK(0),
    /** A DMA access for the slot's scatter/gather list or data failed; the data may be partly moved. */
    DMA_ERROR(1),
    /** The command area or its scatter/gather list broke the datasheet rules; the command did not run. */
    INVALID(2),
    /** Cancelled by an ABORT write. */
    ABORTED(3),
    /** Cancelled by LUN_RESET or by a controller RESET / disable. */
    RESET(4),
    /** The logical unit failed internally; whether the command took effect is unknown. */
    DEVICE_ERROR(5);

    private final int code;

    /** values() copies the array on every call, and every completion decodes a status. */
    private static final HostStatus[] ALL = values();

    HostStatus(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** The status with this code; an unknown code is reported as {@link #DEVICE_ERROR}, never guessed as OK. */
    public static HostStatus of(int code) {
        for (HostStatus s : ALL) {
            if (s.code == code) {
                return s;
            }
        }
        return DEVICE_ERROR;
    }
}
