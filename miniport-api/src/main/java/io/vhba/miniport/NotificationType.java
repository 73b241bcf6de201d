package io.vhba.miniport;

/**
 * {@code SCSI_NOTIFICATION_TYPE} (storport.h), with the numeric codes Windows uses. The
 * {@code 0x1000} block is what storport.h's inline wrappers ({@code StorPortIssueDpc},
 * {@code StorPortAcquireSpinLock}, ...) pass; {@link StorPort}'s default methods do the same.
 */
public enum NotificationType {
    REQUEST_COMPLETE(0x00),
    NEXT_REQUEST(0x01),
    NEXT_LU_REQUEST(0x02),
    RESET_DETECTED(0x03),
    REQUEST_TIMER_CALL(0x06),
    BUS_CHANGE_DETECTED(0x07),
    WMI_EVENT(0x08),
    WMI_REREGISTER(0x09),
    LINK_UP(0x0A),
    LINK_DOWN(0x0B),
    QUERY_TICK_COUNT(0x0C),
    BUFFER_OVERRUN_DETECTED(0x0D),
    TRACE_NOTIFICATION(0x0E),
    GET_EXTENDED_FUNCTION_TABLE(0x0F),
    ENABLE_PASSIVE_INITIALIZATION(0x1000),
    INITIALIZE_DPC(0x1001),
    ISSUE_DPC(0x1002),
    ACQUIRE_SPIN_LOCK(0x1003),
    RELEASE_SPIN_LOCK(0x1004),
    STATE_CHANGE_DETECTED_CALL(0x1005),
    IO_TARGET_REQUEST_SERVICE_TIME(0x1006),
    ASYNC_NOTIFICATION_DETECTED(0x1007);

    private final int code;

    NotificationType(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** The documented type with this code, or null: passing an undocumented code is a verifier finding (SDV StorPortNotification2). */
    public static NotificationType of(int code) {
        for (NotificationType t : values()) {
            if (t.code == code) {
                return t;
            }
        }
        return null;
    }
}
