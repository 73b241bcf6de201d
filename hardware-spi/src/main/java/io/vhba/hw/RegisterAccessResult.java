package io.vhba.hw;

/** Why a register access did not do what the driver meant; the platform reports it to the verifier. */
public enum RegisterAccessResult {
    OK,
    /** No register is declared at that offset. */
    UNDECLARED_OFFSET,
    /** The access width differs from the register's declared width. */
    WIDTH_MISMATCH,
    /** A write to a read-only register. */
    WRITE_TO_READ_ONLY,
    /** A read of a write-only register. */
    READ_OF_WRITE_ONLY
}
