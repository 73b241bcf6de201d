/**
 * The iSCSI PDU codec on Netty (RFC 7143 §11): {@link io.vhba.emulator.iscsi.codec.IscsiPduDecoder}
 * turns bytes into {@link io.vhba.emulator.iscsi.pdu.Pdu} records or
 * {@link io.vhba.emulator.iscsi.codec.MalformedPdu}, {@link io.vhba.emulator.iscsi.codec.IscsiPduEncoder}
 * writes records without copying their data, {@link io.vhba.emulator.iscsi.codec.Crc32cDigest}
 * computes the CRC32C digests. The per-opcode BHS layouts live in one table, {@code PduFormats}.
 */
package io.vhba.emulator.iscsi.codec;
