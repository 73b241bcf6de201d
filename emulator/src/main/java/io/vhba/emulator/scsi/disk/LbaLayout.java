package io.vhba.emulator.scsi.disk;

/** Where a CDB keeps its LOGICAL BLOCK ADDRESS and its block count (SBC-4 5). */
enum LbaLayout implements DiskCommand.Option {
    /** READ(6)/WRITE(6): 21-bit LBA in bytes 1..3, TRANSFER LENGTH in byte 4 where 0 means 256 (SBC-4 5.15). */
    SIX(1, 3, 4, 1),
    TEN(2, 4, 7, 2),
    TWELVE(2, 4, 6, 4),
    SIXTEEN(2, 8, 10, 4),
    /** COMPARE AND WRITE: NUMBER OF LOGICAL BLOCKS in byte 13 (SBC-4 5.3). */
    COMPARE_AND_WRITE(2, 8, 13, 1),
    /** WRITE ATOMIC(16): TRANSFER LENGTH in bytes 12..13 (SBC-4 5.48). */
    WRITE_ATOMIC(2, 8, 12, 2);

    final int lbaOffset;
    final int lbaWidth;
    final int lengthOffset;
    final int lengthWidth;

    LbaLayout(int lbaOffset, int lbaWidth, int lengthOffset, int lengthWidth) {
        this.lbaOffset = lbaOffset;
        this.lbaWidth = lbaWidth;
        this.lengthOffset = lengthOffset;
        this.lengthWidth = lengthWidth;
    }

    long lba(byte[] cdb) {
        return this == SIX ? Bytes.u24(cdb, 1) & 0x1F_FFFF : Bytes.field(cdb, lbaOffset, lbaWidth);
    }

    long length(byte[] cdb) {
        long n = Bytes.field(cdb, lengthOffset, lengthWidth);
        return this == SIX && n == 0 ? 256 : n;
    }
}
