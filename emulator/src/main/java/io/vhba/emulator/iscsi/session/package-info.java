/**
 * iSCSI sessions and connections in full feature phase (RFC 7143 §3-§4, §11): the CmdSN window
 * and in-order delivery, tasks with their Data-Out collection (immediate data, unsolicited data,
 * R2T) and Data-In delivery, NOP, Text (SendTargets), Logout, task management and Reject.
 */
package io.vhba.emulator.iscsi.session;
