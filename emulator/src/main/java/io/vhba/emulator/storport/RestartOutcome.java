package io.vhba.emulator.storport;

/** How a restart the management layer asked for ended ({@link Adapter#restartDrained}). */
public enum RestartOutcome {
    /** ScsiStopAdapter and ScsiRestartAdapter succeeded; held requests resumed. */
    RESTARTED,
    /** The miniport did not report ScsiStopAdapter and ScsiRestartAdapter among its control types. */
    UNSUPPORTED,
    /** The adapter was not running (failed by a bug check, stopped, or still starting). */
    NOT_RUNNING,
    /** Requests the miniport held did not finish in time; nothing was restarted and the queues resumed. */
    NOT_DRAINED,
    /** The miniport failed ScsiRestartAdapter: the adapter is stopped ({@link AdapterState#FAILED}). */
    FAILED
}
