package io.vhba.samples.common.hw;

/**
 * The BUS_INFO register's fields, the same in every sample controller's datasheet: how far the
 * driver's bus scan must reach. JDK only, a "vendor header" like the controllers' register classes.
 */
public final class BusInfo {
    private BusInfo() {}

    public static int encode(int targets, int luns) {
        return (targets & 0x1FF) | (luns & 0x1FF) << 16;
    }

    /** {@code [8:0]} TARGETS: the highest attached target ID + 1 (0 when nothing is attached). */
    public static int targets(int busInfo) {
        return busInfo & 0x1FF;
    }

    /** {@code [24:16]} LUNS: the highest attached LUN + 1. */
    public static int luns(int busInfo) {
        return (busInfo >>> 16) & 0x1FF;
    }
}
