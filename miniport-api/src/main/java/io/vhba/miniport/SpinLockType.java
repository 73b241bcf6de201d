package io.vhba.miniport;

/**
 * {@code STOR_SPINLOCK}. Lock order: the DPC or StartIo lock first, then the interrupt
 * lock (STORPORT.md, "Locks").
 */
public enum SpinLockType {
    /** {@code DpcLock}: the lock context is the {@link StorDpc}. */
    DPC_LOCK(1),
    /** {@code StartIoLock}. */
    START_IO_LOCK(2),
    /** {@code InterruptLock}: raises to DIRQL. */
    INTERRUPT_LOCK(3),
    /** {@code ThreadedDpcLock}. */
    THREADED_DPC_LOCK(4),
    /** {@code DpcLevelLock}. */
    DPC_LEVEL_LOCK(5);

    private final int code;

    SpinLockType(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }
}
