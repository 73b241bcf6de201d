package io.vhba.emulator.storport;

import io.vhba.miniport.SrbStatus;

/**
 * Sees each I/O request (SRB_FUNCTION_EXECUTE_SCSI) just before the port hands it to
 * HwStorBuildIo / HwStorStartIo, and may answer for the miniport: the request then completes
 * as if the miniport had called RequestComplete with that status, without reaching it. Fault
 * injection uses it for SRB_STATUS_BUSY (the port requeues) and queue full (SCSI status TASK
 * SET FULL). Called on a processor thread at DISPATCH_LEVEL, no lock held; must not block.
 */
@FunctionalInterface
public interface StartIoInterceptor {

    /** Null to let the request go to the miniport. */
    InjectedCompletion beforeStartIo(EngineSrb srb);

    /** The completion the miniport is made to report: SrbStatus and, for SRB_STATUS_ERROR, the SCSI status. */
    record InjectedCompletion(SrbStatus srbStatus, int scsiStatus) {
        public InjectedCompletion {
            if (srbStatus == SrbStatus.PENDING) {
                throw new IllegalArgumentException("a request cannot complete with SRB_STATUS_PENDING");
            }
        }
    }

    StartIoInterceptor NONE = srb -> null;
}
