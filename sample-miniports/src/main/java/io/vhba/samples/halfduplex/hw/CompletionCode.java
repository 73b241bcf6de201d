package io.vhba.samples.halfduplex.hw;

/** The command block's COMPLETION_CODE: what happened besides the SCSI status. */
public enum CompletionCode {
    /** The command ran; SCSI_STATUS, TRANSFERRED and SENSE hold the unit's answer. */
    OK(0),
    /** A DMA access for the list or the data failed; the data may be partly moved. */
    DMA_ERROR(1),
    /** The request half broke the datasheet rules, or data moved against DIRECTION. */
    INVALID(2),
    /** The logical unit failed internally; whether the command took effect is unknown. */
    DEVICE_ERROR(3);

    private final int code;

    CompletionCode(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** The code's meaning; an unknown code is DEVICE_ERROR, never guessed as OK. */
    public static CompletionCode of(int code) {
        for (CompletionCode c : values()) {
            if (c.code == code) {
                return c;
            }
        }
        return DEVICE_ERROR;
    }
}
