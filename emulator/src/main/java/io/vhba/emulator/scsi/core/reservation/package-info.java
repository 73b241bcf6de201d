/**
 * Reservations of a logical unit (SPC-4 5.13): persistent reservations and their registrations
 * (PERSISTENT RESERVE IN / OUT), SPC-2 RESERVE / RELEASE with the compatible reservation handling
 * of SPC-4 5.13.3, the conflict table that decides RESERVATION CONFLICT for every other command,
 * and the APTPL state file. Pure logic: the SCSI target core turns each {@link
 * io.vhba.emulator.scsi.core.reservation.PrAnswer} into a command outcome, unit attentions and
 * task aborts.
 */
package io.vhba.emulator.scsi.core.reservation;
