package io.vhba.samples.ring.hw;

/** The submission entry's direction bits: the data phase the driver announces (SAM-5 terms, seen from the initiator). */
public enum Direction {
    NONE(0),
    /** Data-In: the device writes host memory (a READ). */
    IN(1),
    /** Data-Out: the device reads host memory (a WRITE). */
    OUT(2),
    BIDIRECTIONAL(3);

    private static final Direction[] BY_CODE = values();

    private final int code;

    Direction(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** The direction with this 2-bit code. */
    public static Direction of(int code) {
        return BY_CODE[code & 3];
    }
}
