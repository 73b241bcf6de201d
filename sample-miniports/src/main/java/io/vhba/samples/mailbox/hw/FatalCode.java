package io.vhba.samples.mailbox.hw;

/** STATUS.FATAL_CODE: why the device stopped. Every one is a driver error; CONTROL.RESET recovers. */
public enum FatalCode {
    NONE(0, "no error"),
    BAD_CONFIG(1, "ENABLE with NUM_SLOTS, NUM_VECTORS, CQ_DEPTH or a base address outside the datasheet limits"),
    BAD_DOORBELL(2, "DOORBELL for a slot index >= NUM_SLOTS, or for a slot that still holds a pending command"),
    BAD_CQ_HEAD(3, "CQ_HEAD[v] written with v >= NUM_VECTORS or a head >= CQ_DEPTH"),
    CQ_OVERFLOW(4, "a completion queue was full: the driver stopped consuming entries"),
    DMA_FAULT(5, "the slot array or a completion queue could not be written, so a completion could not be reported");

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
