package io.vhba.samples.halfduplex.hw;

/** STATUS.FATAL_CODE: why the controller stopped. */
public enum FatalCode {
    NONE(0),
    /** SUBMIT of a tag >= TAGS or still running, or CB_ADDR not 8-byte aligned. */
    BAD_SUBMIT(1),
    /** A command block could not be read, or its completion half not written. */
    DMA_FAULT(2);

    private final int code;

    FatalCode(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    public static FatalCode of(int code) {
        for (FatalCode f : values()) {
            if (f.code == code) {
                return f;
            }
        }
        throw new IllegalArgumentException("no fatal code " + code);
    }
}
