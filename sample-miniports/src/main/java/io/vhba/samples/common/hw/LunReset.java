package io.vhba.samples.common.hw;

/**
 * The LUN_RESET register's fields, the same in the mailbox and ring datasheets: which logical
 * unit (or, with {@link #ALL_LUNS}, which target) the device resets. JDK only, a "vendor header"
 * like the controllers' register classes.
 */
public final class LunReset {
    private LunReset() {}

    /** {@code [16]}: reset every LUN of TARGET (a target reset), ignoring LUN. */
    public static final int ALL_LUNS = 1 << 16;

    /** {@code [15:8]} TARGET, {@code [7:0]} LUN. */
    public static int encode(int target, int lun) {
        return (target & 0xFF) << 8 | (lun & 0xFF);
    }

    public static int target(int value) {
        return (value >>> 8) & 0xFF;
    }

    public static int lun(int value) {
        return value & 0xFF;
    }
}
