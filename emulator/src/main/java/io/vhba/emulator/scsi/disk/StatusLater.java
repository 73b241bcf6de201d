package io.vhba.emulator.scsi.disk;

import io.vhba.hw.ScsiResult;
import java.util.concurrent.CompletableFuture;

/**
 * Ends a handler whose command returns status only when its operation ends: a whole-medium operation sent
 * with IMMED=0 (SBC-4 5.22.1 SANITIZE, 5.4 FORMAT UNIT), or a command that must be durable before its status
 * (FUA, SYNCHRONIZE CACHE, a write with the write cache disabled) on a store that forces on a thread of its own
 * ({@link Disk#whenDurable}). {@link DiskLogicalUnit} hands {@link #status} to the controller, or waits for it when
 * called synchronously. Like {@link CheckCondition}, an outcome, not an error.
 */
final class StatusLater extends RuntimeException {
    private static final long serialVersionUID = 1L;

    final transient CompletableFuture<ScsiResult> status;

    StatusLater(CompletableFuture<ScsiResult> status) {
        super(null, null, false, false);
        this.status = status;
    }
}
