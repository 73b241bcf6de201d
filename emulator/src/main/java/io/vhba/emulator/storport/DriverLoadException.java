package io.vhba.emulator.storport;

import io.vhba.miniport.NtStatus;

/** DriverEntry failed, or an adapter did not start; carries the NTSTATUS or start failure. */
public final class DriverLoadException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int status;

    public DriverLoadException(String message, int status) {
        super(message + " (" + NtStatus.toString(status) + ")");
        this.status = status;
    }

    public int status() {
        return status;
    }
}
