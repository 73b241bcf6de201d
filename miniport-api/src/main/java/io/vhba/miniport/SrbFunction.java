package io.vhba.miniport;

/** {@code SRB_FUNCTION_*} (srb.h): what an SRB asks of the miniport. */
public enum SrbFunction {
    EXECUTE_SCSI(0x00),
    CLAIM_DEVICE(0x01),
    IO_CONTROL(0x02),
    RECEIVE_EVENT(0x03),
    RELEASE_QUEUE(0x04),
    ATTACH_DEVICE(0x05),
    RELEASE_DEVICE(0x06),
    /** Only sent when the adapter set {@code CachesData}. */
    SHUTDOWN(0x07),
    /** Only sent when the adapter set {@code CachesData}. */
    FLUSH(0x08),
    /** The SRB to abort is in {@link Srb#nextSrb()}. */
    ABORT_COMMAND(0x10),
    RELEASE_RECOVERY(0x11),
    RESET_BUS(0x12),
    RESET_DEVICE(0x13),
    TERMINATE_IO(0x14),
    FLUSH_QUEUE(0x15),
    REMOVE_DEVICE(0x16),
    WMI(0x17),
    LOCK_QUEUE(0x18),
    UNLOCK_QUEUE(0x19),
    QUIESCE_DEVICE(0x1A),
    RESET_LOGICAL_UNIT(0x20),
    SET_LINK_TIMEOUT(0x21),
    LINK_TIMEOUT_OCCURRED(0x22),
    LINK_TIMEOUT_COMPLETE(0x23),
    POWER(0x24),
    PNP(0x25);

    private final int code;

    SrbFunction(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }
}
