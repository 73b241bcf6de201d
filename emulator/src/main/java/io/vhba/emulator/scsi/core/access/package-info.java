/**
 * Who may reach a target: initiator access control lists with LUN masking. The iSCSI login consults them (status
 * 0x0202 for a refused initiator, RFC 7143 §11.13.5), SendTargets lists only the targets an initiator may log in to,
 * and the SCSI target core shows each I_T nexus only the LUNs its initiator may see.
 */
package io.vhba.emulator.scsi.core.access;
