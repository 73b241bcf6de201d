package io.vhba.miniport;

/** The NTSTATUS values a miniport sees (ntstatus.h). */
public final class NtStatus {
    private NtStatus() {}

    public static final int STATUS_SUCCESS = 0x00000000;
    public static final int STATUS_UNSUCCESSFUL = 0xC0000001;
    public static final int STATUS_NOT_IMPLEMENTED = 0xC0000002;
    public static final int STATUS_INVALID_PARAMETER = 0xC000000D;
    public static final int STATUS_NO_MEMORY = 0xC0000017;
    /** StorPortInitialize: the init data lacks a required routine or has a bad size. */
    public static final int STATUS_REVISION_MISMATCH = 0xC0000059;
    public static final int STATUS_INSUFFICIENT_RESOURCES = 0xC000009A;
    public static final int STATUS_DEVICE_DOES_NOT_EXIST = 0xC00000C0;
    public static final int STATUS_NOT_SUPPORTED = 0xC00000BB;

    public static boolean isSuccess(int status) {
        return status >= 0;
    }

    public static String toString(int status) {
        return String.format("0x%08X", status);
    }
}
