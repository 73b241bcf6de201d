package io.vhba.emulator.scsi.disk;

/**
 * What the copy manager supports, reported by RECEIVE COPY OPERATING PARAMETERS (SPC-4 6.18.4) and VPD page 8Fh
 * (SPC-4 7.8.17) and enforced by EXTENDED COPY.
 */
final class CopyManagerLimits {

    /** MAXIMUM CSCD DESCRIPTOR COUNT. */
    static final int MAX_CSCD_DESCRIPTORS = 16;
    /** MAXIMUM SEGMENT DESCRIPTOR COUNT. */
    static final int MAX_SEGMENT_DESCRIPTORS = 64;
    /** MAXIMUM DESCRIPTOR LIST LENGTH: the CSCD and segment descriptor lists together, in bytes. */
    static final int MAX_DESCRIPTOR_LIST_LENGTH = 2048;
    /** MAXIMUM INLINE DATA LENGTH: no segment type that uses inline data is implemented. */
    static final int MAX_INLINE_DATA_LENGTH = 0;
    /** TOTAL CONCURRENT COPIES and MAXIMUM (identified) CONCURRENT COPIES this device runs at once. */
    static final int MAX_CONCURRENT_COPIES = 8;
    /** The largest BLOCK DEVICE NUMBER OF BLOCKS (a 16-bit field). */
    static final int MAX_SEGMENT_BLOCKS = 0xFFFF;

    private CopyManagerLimits() {}

    /** MAXIMUM SEGMENT LENGTH in bytes for a device of this block size. */
    static long maxSegmentLength(int blockSize) {
        return (long) MAX_SEGMENT_BLOCKS * blockSize;
    }
}
