package io.vhba.emulator.storport;

/** The life of an adapter. */
public enum AdapterState {
    /** FindAdapter, HwInitialize, passive initialisation and the bus scan are running. */
    STARTING,
    RUNNING,
    /** Stopped on request (ScsiStopAdapter) or shut down. */
    STOPPED,
    /** Stopped by a bug check or a failed start; its LUs fail I/O with a hardware error. */
    FAILED
}
