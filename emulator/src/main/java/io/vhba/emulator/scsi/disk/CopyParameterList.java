package io.vhba.emulator.scsi.disk;

import io.vhba.miniport.scsi.AdditionalSense;
import io.vhba.miniport.scsi.SenseKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The EXTENDED COPY(LID1) parameter list (SPC-4 6.4.3, the SPC-3 format): a 16-byte header, the CSCD descriptor list
 * and the segment descriptor list. {@link #parse} checks everything that can be checked before any data moves and
 * answers ILLEGAL REQUEST for what is wrong; copy targets are resolved later, segment by segment.
 *
 * @param listId    LIST IDENTIFIER
 * @param usage     LIST ID USAGE
 * @param cscds     the CSCD descriptors, in list order (segments name them by index)
 * @param segments  the segment descriptors, in processing order
 */
record CopyParameterList(int listId, ListIdUsage usage, List<Identification> cscds, List<BlockToBlock> segments) {

    static final int HEADER_LENGTH = 16;
    static final int CSCD_DESCRIPTOR_LENGTH = 32;

    /** LIST ID USAGE (SPC-4 table 107). */
    enum ListIdUsage {
        /** 00b: the results are held for RECEIVE COPY RESULTS; the list identifier is unique. */
        HOLD,
        /** 01b: reserved. */
        RESERVED,
        /** 10b: nothing is held once the copy ends; the list identifier is unique while it runs. */
        DISCARD,
        /** 11b: no list identifier (it must be zero); nothing is held. */
        NONE;

        boolean tracked() {
            return this == HOLD || this == DISCARD;
        }
    }

    /** The descriptor type codes this copy manager implements (SPC-4 table 108), declared once for VPD 8Fh too. */
    enum DescriptorType {
        BLOCK_TO_BLOCK(0x02, 0x18),
        IDENTIFICATION(0xE4, CSCD_DESCRIPTOR_LENGTH - 4);

        final int code;
        /** The DESCRIPTOR LENGTH a segment descriptor of this type carries (bytes after byte 3). */
        final int descriptorLength;

        DescriptorType(int code, int descriptorLength) {
            this.code = code;
            this.descriptorLength = descriptorLength;
        }
    }

    /**
     * An identification CSCD descriptor (type E4h, SPC-4 6.4.5.3) with block device parameters. LU ID TYPE and NUL
     * are obsolete in SPC-4 and ignored.
     *
     * @param offset         where the descriptor starts in the parameter list (for sense field pointers)
     * @param codeSet        CODE SET of the designator
     * @param association    ASSOCIATION of the designator
     * @param designatorType DESIGNATOR TYPE
     * @param designator     the DESIGNATOR bytes (DESIGNATOR LENGTH of them)
     * @param blockLength    DISK BLOCK LENGTH of the block device type specific parameters
     */
    record Identification(int offset, int codeSet, int association, int designatorType, byte[] designator,
                          int blockLength) {

        /** The 16-byte NAA IEEE Registered Extended designator of a logical unit, or null when it names none. */
        byte[] naa() {
            boolean lu = codeSet == 1 && association == 0 && designatorType == 3;
            return lu && designator.length == 16 && (designator[0] & 0xF0) == 0x60 ? designator : null;
        }
    }

    /**
     * A block device to block device segment descriptor (type 02h, SPC-4 6.4.6.5).
     *
     * @param offset      where the descriptor starts in the parameter list
     * @param dc          DC: the block count is in destination (1) or source (0) blocks
     * @param source      SOURCE CSCD DESCRIPTOR INDEX
     * @param destination DESTINATION CSCD DESCRIPTOR INDEX
     * @param blocks      BLOCK DEVICE NUMBER OF BLOCKS
     * @param sourceLba   SOURCE BLOCK DEVICE LOGICAL BLOCK ADDRESS
     * @param destinationLba DESTINATION BLOCK DEVICE LOGICAL BLOCK ADDRESS
     */
    record BlockToBlock(int offset, boolean dc, int source, int destination, int blocks, long sourceLba,
                        long destinationLba) {
        static final int SOURCE_INDEX = 4;
        static final int DESTINATION_INDEX = 6;
        static final int BLOCKS = 10;
        static final int SOURCE_LBA = 12;
        static final int DESTINATION_LBA = 20;
    }

    /**
     * Parses and checks a parameter list of {@code p.length} bytes (the CDB's PARAMETER LIST LENGTH, at least 1).
     * Errors, in the order they are checked: PARAMETER LIST LENGTH ERROR when the header or the lengths it gives do
     * not fit or exceed the limits; INVALID FIELD IN PARAMETER LIST for a bad header field; TOO MANY TARGET / SEGMENT
     * DESCRIPTORS; UNSUPPORTED TARGET / SEGMENT DESCRIPTOR TYPE CODE; INVALID FIELD IN PARAMETER LIST for a bad
     * descriptor field.
     */
    static CopyParameterList parse(byte[] p) {
        if (p.length < HEADER_LENGTH) {
            throw CheckCondition.parameterListLengthError();
        }
        int cscdLength = Bytes.u16(p, 2);
        long segmentLength = Bytes.u32(p, 8);
        long inlineLength = Bytes.u32(p, 12);
        if (cscdLength + segmentLength > CopyManagerLimits.MAX_DESCRIPTOR_LIST_LENGTH
                || HEADER_LENGTH + cscdLength + segmentLength + inlineLength > p.length) {
            throw CheckCondition.parameterListLengthError();
        }
        int listId = Bytes.u8(p, 0);
        ListIdUsage usage = ListIdUsage.values()[(Bytes.u8(p, 1) >>> 3) & 0x03];
        if (usage == ListIdUsage.RESERVED) {
            throw CheckCondition.invalidParameter(1, 4);
        }
        if (usage == ListIdUsage.NONE && listId != 0) {
            throw CheckCondition.invalidParameter(0, -1);
        }
        if (inlineLength > CopyManagerLimits.MAX_INLINE_DATA_LENGTH) {
            throw CheckCondition.invalidParameter(12, -1);
        }
        if (cscdLength % CSCD_DESCRIPTOR_LENGTH != 0) {
            throw CheckCondition.invalidParameter(2, -1);
        }
        if (cscdLength / CSCD_DESCRIPTOR_LENGTH > CopyManagerLimits.MAX_CSCD_DESCRIPTORS) {
            throw CheckCondition.of(SenseKey.ILLEGAL_REQUEST, AdditionalSense.TOO_MANY_TARGET_DESCRIPTORS);
        }
        int segmentsStart = HEADER_LENGTH + cscdLength;
        int segmentsEnd = segmentsStart + (int) segmentLength;
        if (countSegments(p, segmentsStart, segmentsEnd) > CopyManagerLimits.MAX_SEGMENT_DESCRIPTORS) {
            throw CheckCondition.of(SenseKey.ILLEGAL_REQUEST, AdditionalSense.TOO_MANY_SEGMENT_DESCRIPTORS);
        }
        List<Identification> cscds = new ArrayList<>();
        for (int o = HEADER_LENGTH; o < segmentsStart; o += CSCD_DESCRIPTOR_LENGTH) {
            cscds.add(cscd(p, o));
        }
        List<BlockToBlock> segments = new ArrayList<>();
        for (int o = segmentsStart; o < segmentsEnd; o += 4 + Bytes.u16(p, o + 2)) {
            segments.add(segment(p, o));
        }
        return new CopyParameterList(listId, usage, List.copyOf(cscds), List.copyOf(segments));
    }

    /** Walks the segment list by DESCRIPTOR LENGTH; a descriptor running past the list is a bad length field. */
    private static int countSegments(byte[] p, int start, int end) {
        int n = 0;
        for (int o = start; o < end; n++) {
            if (end - o < 4) {
                throw CheckCondition.invalidParameter(o, -1);
            }
            int next = o + 4 + Bytes.u16(p, o + 2);
            if (next > end) {
                throw CheckCondition.invalidParameter(o + 2, -1);
            }
            o = next;
        }
        return n;
    }

    private static Identification cscd(byte[] p, int o) {
        int type = Bytes.u8(p, o);
        if (type != DescriptorType.IDENTIFICATION.code) {
            throw CheckCondition.of(SenseKey.ILLEGAL_REQUEST, AdditionalSense.UNSUPPORTED_TARGET_DESCRIPTOR_TYPE_CODE);
        }
        if ((Bytes.u8(p, o + 1) & 0x1F) != 0) {
            // PERIPHERAL DEVICE TYPE: only direct access block devices take part in block to block copies
            throw CheckCondition.of(SenseKey.ILLEGAL_REQUEST, AdditionalSense.UNSUPPORTED_TARGET_DESCRIPTOR_TYPE_CODE);
        }
        int length = Bytes.u8(p, o + 7);
        if (length > 20) { // the DESIGNATOR field holds at most 20 bytes (bytes 8..27)
            throw CheckCondition.invalidParameter(o + 7, -1);
        }
        return new Identification(o, Bytes.u8(p, o + 4) & 0x0F, (Bytes.u8(p, o + 5) >>> 4) & 0x03,
                Bytes.u8(p, o + 5) & 0x0F, Arrays.copyOfRange(p, o + 8, o + 8 + length), Bytes.u24(p, o + 29));
    }

    private static BlockToBlock segment(byte[] p, int o) {
        int type = Bytes.u8(p, o);
        if (type != DescriptorType.BLOCK_TO_BLOCK.code) {
            throw CheckCondition.of(SenseKey.ILLEGAL_REQUEST, AdditionalSense.UNSUPPORTED_SEGMENT_DESCRIPTOR_TYPE_CODE);
        }
        if (Bytes.u16(p, o + 2) != DescriptorType.BLOCK_TO_BLOCK.descriptorLength) {
            throw CheckCondition.invalidParameter(o + 2, -1);
        }
        if (Bytes.bit(p, o + 1, 0)) {
            // CAT: the residue handling it asks for only arises with stream devices; no block device copy has one
            throw CheckCondition.invalidParameter(o + 1, 0);
        }
        return new BlockToBlock(o, Bytes.bit(p, o + 1, 1), Bytes.u16(p, o + BlockToBlock.SOURCE_INDEX),
                Bytes.u16(p, o + BlockToBlock.DESTINATION_INDEX), Bytes.u16(p, o + BlockToBlock.BLOCKS),
                Bytes.u64(p, o + BlockToBlock.SOURCE_LBA), Bytes.u64(p, o + BlockToBlock.DESTINATION_LBA));
    }
}
