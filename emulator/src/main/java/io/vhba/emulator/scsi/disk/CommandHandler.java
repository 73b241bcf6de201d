package io.vhba.emulator.scsi.disk;

import io.vhba.hw.ScsiCommand;
import io.vhba.hw.ScsiResult;

/** Runs one validated command; may end it with a {@link CheckCondition}. */
@FunctionalInterface
interface CommandHandler {
    ScsiResult handle(Disk disk, DiskCommand entry, ScsiCommand command);
}
