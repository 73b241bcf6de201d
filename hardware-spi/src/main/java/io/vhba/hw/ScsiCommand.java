package io.vhba.hw;

/**
 * One SCSI command as it reaches a logical unit.
 *
 * @param cdb        the CDB; only the first {@code cdbLength} bytes are meaningful
 * @param cdbLength  6, 10, 12, 16 or up to 260 with an extended CDB
 * @param direction  the data phase direction the initiator announced
 * @param data       the initiator's buffer; {@link DataBuffer#NONE} when no data moves
 * @param taskAttribute SAM-5 task attribute: 0 SIMPLE, 1 ORDERED, 2 HEAD OF QUEUE, 4 ACA
 */
public record ScsiCommand(byte[] cdb, int cdbLength, DataDirection direction, DataBuffer data, int taskAttribute) {

    public int opcode() {
        return cdb[0] & 0xFF;
    }
}
