/**
 * The SCSI target core (SAM-5 / SPC-4 target-wide behaviour), between the transport and the
 * Storport engine: the LUN map of each target, I_T nexuses and their unit attentions, REPORT
 * LUNS, reservations (PERSISTENT RESERVE IN/OUT, RESERVE/RELEASE and reservation conflicts, in
 * {@link io.vhba.emulator.scsi.core.reservation}), the core's commands in REPORT SUPPORTED
 * OPERATION CODES, the commands addressed to a missing LUN, and the sizing of each command's
 * data buffer from its CDB. Commands that reach the medium leave here as SRBs.
 */
package io.vhba.emulator.scsi.core;
