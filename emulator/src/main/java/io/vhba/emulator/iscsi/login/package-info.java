/**
 * iSCSI login (RFC 7143 §6, §11.12-11.13, §12, §13): the text key=value codec, the key table,
 * operational negotiation, CHAP (RFC 1994) and the per-connection {@link
 * io.vhba.emulator.iscsi.login.LoginStateMachine}. No I/O: the caller feeds Login Request records and
 * sends the Login Response records it gets back.
 */
package io.vhba.emulator.iscsi.login;
