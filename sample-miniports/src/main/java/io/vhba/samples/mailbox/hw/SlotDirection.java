package io.vhba.samples.mailbox.hw;

/** The slot's DIRECTION byte: the data phase the driver announces (SAM-5 terms, seen from the initiator). */
public enum SlotDirection {
    NONE(0),
    /** Data-In: the device writes host memory (a READ). */
    IN(1),
    /** Data-Out: the device reads host memory (a WRITE). */
    OUT(2),
    BIDIRECTIONAL(3);

    private final int code;

    SlotDirection(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** The direction with this code, or null for a code the datasheet does not define. */
    public static SlotDirection of(int code) {
        for (SlotDirection d : values()) {
            if (d.code == code) {
                return d;
            }
        }
        return null;
    }
}
