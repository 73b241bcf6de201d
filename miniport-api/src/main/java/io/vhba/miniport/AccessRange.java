package io.vhba.miniport;

/**
 * {@code ACCESS_RANGE}: one bus-relative register window of the adapter, as assigned by
 * the PnP manager and handed to {@code HwStorFindAdapter}.
 *
 * @param rangeStart   the bus (physical) address of the window
 * @param rangeLength  its length in bytes
 * @param rangeInMemory true for memory-mapped registers, false for I/O ports
 */
public record AccessRange(long rangeStart, int rangeLength, boolean rangeInMemory) {}
