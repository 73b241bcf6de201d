package io.vhba.emulator.scsi.core;

import io.vhba.emulator.platform.HostBuffer;
import io.vhba.miniport.scsi.ScsiOpcode;

/** The Block Limits VPD page (SBC-4 6.6.4) as the port can honour it. */
final class BlockLimits {
    private static final int MAXIMUM_TRANSFER_LENGTH = 8;
    private static final int OPTIMAL_TRANSFER_LENGTH = 12;

    private BlockLimits() {}

    static boolean isBlockLimitsPage(byte[] cdb) {
        return (cdb[0] & 0xFF) == ScsiOpcode.INQUIRY.code() && (cdb[1] & 1) != 0 && (cdb[2] & 0xFF) == 0xB0;
    }

    /** Lowers MAXIMUM and OPTIMAL TRANSFER LENGTH to {@code maxBlocks} where the bytes are present. */
    static void clamp(HostBuffer page, int length, long maxBlocks) {
        if (maxBlocks <= 0) {
            return;
        }
        for (int off : new int[] {MAXIMUM_TRANSFER_LENGTH, OPTIMAL_TRANSFER_LENGTH}) {
            if (length >= off + 4) {
                long v = Integer.toUnsignedLong(Integer.reverseBytes(page.getInt(off)));
                // 0 means "no limit" for the maximum but "not reported" for the optimum.
                if (v > maxBlocks || (v == 0 && off == MAXIMUM_TRANSFER_LENGTH)) {
                    page.putInt(off, Integer.reverseBytes((int) maxBlocks));
                }
            }
        }
    }
}
