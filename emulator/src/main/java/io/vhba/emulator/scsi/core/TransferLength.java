package io.vhba.emulator.scsi.core;

/**
 * How a CDB states the length of its data phase: the rule of one row of {@link CdbTable}.
 * Each rule reads the CDB (and the block size for block counts) and returns a byte count.
 */
@FunctionalInterface
interface TransferLength {
    long bytes(byte[] cdb, int blockSize);

    TransferLength NONE = (cdb, bs) -> 0;

    /** A big-endian field of {@code size} bytes at {@code offset}. */
    static long field(byte[] cdb, int offset, int size) {
        long v = 0;
        for (int i = 0; i < size; i++) {
            v = (v << 8) | (cdb[offset + i] & 0xFF);
        }
        return v;
    }

    /** An allocation length or parameter list length field, in bytes. */
    static TransferLength bytesAt(int offset, int size) {
        return (cdb, bs) -> field(cdb, offset, size);
    }

    /** A transfer length field in logical blocks. */
    static TransferLength blocksAt(int offset, int size) {
        return (cdb, bs) -> field(cdb, offset, size) * bs;
    }

    static TransferLength fixed(int n) {
        return (cdb, bs) -> n;
    }
}
