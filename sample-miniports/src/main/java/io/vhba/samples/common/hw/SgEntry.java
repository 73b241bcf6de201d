package io.vhba.samples.common.hw;

/**
 * One entry of the hardware scatter/gather list the sample controllers (mailbox, ring,
 * halfduplex) read from host memory: {@code {u64 address, u32 length, u32 reserved}},
 * little-endian, 16 bytes. Like the controllers' register classes it imports only the JDK, so a
 * miniport includes it as it would a vendor header.
 */
public final class SgEntry {
    private SgEntry() {}

    public static final int SIZE = 16;
    /** u64: bus address of the piece. */
    public static final int ADDRESS = 0x0;
    /** u32: length of the piece in bytes. */
    public static final int LENGTH = 0x8;
    /** u32: written 0. */
    public static final int RESERVED = 0xC;
}
