package io.vhba.miniport;

/** {@code SRB_FLAGS_*} (srb.h). */
public final class SrbFlags {
    private SrbFlags() {}

    public static final int QUEUE_ACTION_ENABLE = 0x00000002;
    public static final int DISABLE_DISCONNECT = 0x00000004;
    public static final int DISABLE_SYNCH_TRANSFER = 0x00000008;
    public static final int BYPASS_FROZEN_QUEUE = 0x00000010;
    public static final int DISABLE_AUTOSENSE = 0x00000020;
    public static final int DATA_IN = 0x00000040;
    public static final int DATA_OUT = 0x00000080;
    public static final int NO_DATA_TRANSFER = 0x00000000;
    public static final int UNSPECIFIED_DIRECTION = DATA_IN | DATA_OUT;
    public static final int NO_QUEUE_FREEZE = 0x00000100;
    public static final int ADAPTER_CACHE_ENABLE = 0x00000200;
    public static final int FREE_SENSE_BUFFER = 0x00000400;
    public static final int D3_PROCESSING = 0x00000800;
    public static final int SEQUENTIAL_REQUIRED = 0x00001000;
    public static final int IS_ACTIVE = 0x00010000;
    public static final int BYPASS_LOCKED_QUEUE = 0x00080000;
    public static final int NO_KEEP_AWAKE = 0x00100000;
    public static final int PORT_DRIVER_ALLOCSENSE = 0x00200000;
    public static final int DONT_START_NEXT_PACKET = 0x00800000;
}
