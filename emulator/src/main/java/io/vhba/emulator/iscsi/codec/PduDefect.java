package io.vhba.emulator.iscsi.codec;

import io.vhba.emulator.iscsi.pdu.RejectReason;

/**
 * What is wrong with a PDU the decoder could not turn into a record, the Reject reason that
 * answers it (RFC 7143 §11.17.1) and whether the connection has to go.
 *
 * <p>A defect is fatal when the framing can no longer be trusted: the lengths in the header may be
 * wrong, so the start of the next PDU is unknown. At ErrorRecoveryLevel 0 the only way out is to
 * close the connection (§7.8, §7.9, §7.2.1). Every other defect leaves the framing intact: the
 * decoder skips the PDU's remaining segments and carries on with the next one.
 */
public enum PduDefect {
    /** The header digest does not match: any field, the lengths included, may be corrupt (§7.8). */
    HEADER_DIGEST_ERROR(RejectReason.PROTOCOL_ERROR, true),
    /** DataSegmentLength exceeds our MaxRecvDataSegmentLength (§13.12); we will not buffer it. */
    DATA_SEGMENT_TOO_LONG(RejectReason.PROTOCOL_ERROR, true),
    /** The AHS contradicts itself or TotalAHSLength (§11.2.2), so the header lengths are untrustworthy. */
    BAD_AHS(RejectReason.PROTOCOL_ERROR, true),
    /** A reserved opcode (§11.2.1.2): a reserved code value in a defined field is a protocol error (§11). */
    RESERVED_OPCODE(RejectReason.PROTOCOL_ERROR, false),
    /** A vendor-specific opcode of the right direction (0x1c-0x1e, 0x3c-0x3e): defined, but we support none. */
    VENDOR_SPECIFIC_OPCODE(RejectReason.COMMAND_NOT_SUPPORTED, false),
    /** An opcode the other side sends, e.g. a SCSI Response arriving at the target. */
    WRONG_DIRECTION(RejectReason.PROTOCOL_ERROR, false),
    /** TotalAHSLength is not 0 on a PDU that has no AHS (§11.2.1.4). */
    UNEXPECTED_AHS(RejectReason.PROTOCOL_ERROR, false),
    /** An AHS of a reserved or non-iSCSI type (§11.2.2.2). */
    UNKNOWN_AHS_TYPE(RejectReason.PROTOCOL_ERROR, false),
    /** DataSegmentLength is not 0 on a PDU that has no data segment (e.g. §11.5, §11.14). */
    UNEXPECTED_DATA(RejectReason.PROTOCOL_ERROR, false),
    /** The data digest does not match: the PDU is dropped, the header stays valid (§7.8). */
    DATA_DIGEST_ERROR(RejectReason.DATA_DIGEST_ERROR, false);

    private final RejectReason reason;
    private final boolean closesConnection;

    PduDefect(RejectReason reason, boolean closesConnection) {
        this.reason = reason;
        this.closesConnection = closesConnection;
    }

    public RejectReason reason() {
        return reason;
    }

    public boolean closesConnection() {
        return closesConnection;
    }
}
