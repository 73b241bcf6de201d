package io.vhba.emulator.iscsi.login;

/**
 * The connection-only outcome of a login (RFC 7143 §13, Scope CO).
 *
 * @param headerDigest                       HeaderDigest (§13.1)
 * @param dataDigest                         DataDigest (§13.1)
 * @param initiatorMaxRecvDataSegmentLength the initiator's declaration (§13.12): the largest data segment
 *                                           the target may send on this connection
 * @param targetMaxRecvDataSegmentLength    the target's declaration: the largest data segment the
 *                                           initiator may send
 */
public record ConnectionParameters(Digest headerDigest, Digest dataDigest, int initiatorMaxRecvDataSegmentLength,
                                   int targetMaxRecvDataSegmentLength) {
}
