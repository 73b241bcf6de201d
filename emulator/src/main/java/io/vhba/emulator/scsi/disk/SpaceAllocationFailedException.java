package io.vhba.emulator.scsi.disk;

import java.io.IOException;

/**
 * A store could not get the memory a write needs. Not a medium error: the disk answers it as a thin-provisioned
 * logical unit out of space does, DATA PROTECT / SPACE ALLOCATION FAILED WRITE PROTECT (SBC-4 4.7.3.6), and the
 * target keeps serving (reads, overwrites of mapped blocks and UNMAP still work).
 */
public final class SpaceAllocationFailedException extends IOException {
    private static final long serialVersionUID = 1L;

    public SpaceAllocationFailedException(String message) {
        super(message);
    }
}
