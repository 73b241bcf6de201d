package io.vhba.miniport;

/**
 * {@code STOR_STATUS_*} (storport.h): what {@code StorPortExtendedFunction} and the routines
 * built on it (workers, timer objects, pool, performance counter) return.
 */
public final class StorStatus {
    private StorStatus() {}

    public static final int STOR_STATUS_SUCCESS = 0x00000000;
    public static final int STOR_STATUS_UNSUCCESSFUL = 0xC1000001;
    public static final int STOR_STATUS_NOT_IMPLEMENTED = 0xC1000002;
    public static final int STOR_STATUS_INSUFFICIENT_RESOURCES = 0xC1000003;
    public static final int STOR_STATUS_BUFFER_TOO_SMALL = 0xC1000004;
    public static final int STOR_STATUS_ACCESS_DENIED = 0xC1000005;
    public static final int STOR_STATUS_INVALID_PARAMETER = 0xC1000006;
    public static final int STOR_STATUS_INVALID_DEVICE_REQUEST = 0xC1000007;
    public static final int STOR_STATUS_INVALID_IRQL = 0xC1000008;
    public static final int STOR_STATUS_INVALID_DEVICE_STATE = 0xC1000009;
    public static final int STOR_STATUS_INVALID_BUFFER_SIZE = 0xC100000A;
    public static final int STOR_STATUS_UNSUPPORTED_VERSION = 0xC100000B;
    public static final int STOR_STATUS_BUSY = 0xC100000C;
}
