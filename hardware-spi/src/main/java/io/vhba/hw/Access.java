package io.vhba.hw;

/** The access mode of a register (the column of a datasheet's register table). */
public enum Access {
    /** Read/write. */
    RW,
    /** Read-only: writes are ignored (and reported: a miniport writing a read-only register has a bug). */
    RO,
    /** Write-only: reads return 0. */
    WO,
    /** Write 1 to clear: each 1 bit written clears that bit. */
    W1C,
    /** Read clears: the value is returned and then zeroed. */
    RC
}
