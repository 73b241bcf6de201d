package io.vhba.samples.ring.hw;

/** STATUS.FATAL_CODE: why the device stopped. Every one is a driver error; CONTROL.RESET recovers. */
public enum FatalCode {
    NONE(0, "no error"),
    BAD_CONFIG(1, "ENABLE with NUM_QUEUES, a QUEUE_SIZE, a QUEUE_VECTOR or a ring base outside the datasheet limits"),
    BAD_DOORBELL(2, "SQ_TAIL[q] or CQ_HEAD[q] written with q >= NUM_QUEUES or an index >= QUEUE_SIZE[q]"),
    BAD_COMMAND_ID(3, "a submission entry whose COMMAND_ID is >= QUEUE_SIZE or still pending in its queue"),
    CQ_OVERFLOW(4, "a completion ring was full: the driver kept more commands outstanding than the ring holds"),
    DMA_FAULT(5, "a submission entry could not be read, or a completion entry could not be written");

    private final int code;
    private final String meaning;

    FatalCode(int code, String meaning) {
        this.code = code;
        this.meaning = meaning;
    }

    public int code() {
        return code;
    }

    public String meaning() {
        return meaning;
    }

    /** The code, or null if the datasheet does not define it. */
    public static FatalCode of(int code) {
        for (FatalCode f : values()) {
            if (f.code == code) {
                return f;
            }
        }
        return null;
    }
}
