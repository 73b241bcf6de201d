package io.vhba.emulator.storport;

/** Which start-up routine is running, for the routines legal only in one of them. */
enum InitPhase {
    NONE,
    FIND_ADAPTER,
    HW_INITIALIZE,
    PASSIVE_INITIALIZE
}
