package io.vhba.emulator.storport;

/** Where an SRB is in its life; the verifier uses it to catch use after completion. */
enum SrbState {
    /** In the adapter's pool or being prepared by the port. */
    FREE,
    /** Waiting in its logical unit's queue. */
    QUEUED,
    /** Owned by the miniport: in HwStorBuildIo, HwStorStartIo, or on the hardware. */
    MINIPORT,
    /** Completed by the miniport; the port owns it again. */
    COMPLETED
}
