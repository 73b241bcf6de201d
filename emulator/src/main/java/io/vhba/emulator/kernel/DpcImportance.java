package io.vhba.emulator.kernel;

/** {@code KDPC_IMPORTANCE}: high importance DPCs go to the head of the queue. */
public enum DpcImportance {
    LOW,
    MEDIUM,
    MEDIUM_HIGH,
    HIGH
}
