package io.vhba.emulator.iscsi.pdu;

import io.netty.buffer.ByteBuf;

/**
 * SCSI Command (RFC 7143 §11.3). {@code cdb} holds the whole CDB: the 16 bytes of the BHS
 * followed by those of an Extended CDB AHS (§11.3.5), trimmed of the AHS padding.
 *
 * @param attributes task attributes (ATTR, bits 0-2 of byte 1): 0 untagged, 1 simple, 2 ordered, 3 head of queue, 4 ACA
 * @param expectedDataTransferLength the EDTL, unsigned
 * @param expectedBidirectionalReadLength from the Bidirectional Read Expected Data Transfer Length AHS (§11.3.5), -1 when absent
 * @param data immediate data
 */
public record ScsiCommand(boolean immediate, boolean fin, boolean read, boolean write, int attributes, long lun,
                          int itt, int expectedDataTransferLength, int cmdSN, int expStatSN, byte[] cdb,
                          int expectedBidirectionalReadLength, ByteBuf data) implements InitiatorPdu {
    @Override
    public Opcode opcode() {
        return Opcode.SCSI_COMMAND;
    }
}
