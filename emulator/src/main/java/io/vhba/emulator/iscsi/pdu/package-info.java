/**
 * iSCSI PDUs (RFC 7143 §11) as records of the sealed interface {@link io.vhba.emulator.iscsi.pdu.Pdu}.
 * Field names follow the RFC (ITT, TTT, CmdSN, ExpStatSN, ...). A record that carries a data
 * segment owns one reference to its {@link io.netty.buffer.ByteBuf}; whoever consumes the PDU
 * releases it ({@link io.vhba.emulator.iscsi.pdu.Pdu#release()}).
 */
package io.vhba.emulator.iscsi.pdu;
