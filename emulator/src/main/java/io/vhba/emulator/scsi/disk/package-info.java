/**
 * The SCSI direct-access block device model (SPC-4 / SBC-4) over a {@link io.vhba.emulator.scsi.disk.BackingStore}.
 *
 * <p>{@link io.vhba.emulator.scsi.disk.DiskLogicalUnit} is the {@link io.vhba.hw.ScsiLogicalUnit} a simulated
 * controller calls. Its commands are declared in the table {@link io.vhba.emulator.scsi.disk.DiskCommand}: the CDB
 * usage bitmap of each entry both rejects reserved bits (INVALID FIELD IN CDB with the field pointer) and is what
 * REPORT SUPPORTED OPERATION CODES reports, so the two can never disagree.
 *
 * <p>Not here (the SCSI target core owns them): REPORT LUNS, unit attentions, reservations, task management,
 * ALUA, EXTENDED COPY, target-port designators and residual computation.
 */
package io.vhba.emulator.scsi.disk;
