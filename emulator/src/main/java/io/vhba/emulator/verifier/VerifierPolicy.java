package io.vhba.emulator.verifier;

/** What a bug check does besides being logged and counted. */
public enum VerifierPolicy {
    /** The default: the adapter stops, and its LUNs fail I/O with HARDWARE ERROR / LOGICAL UNIT FAILURE. */
    STOP_ADAPTER,
    /** As STOP_ADAPTER, and the engine also rethrows the BugCheckException to the caller that started the work (tests). */
    THROW,
    /** Log and count only; the adapter keeps running (for exploring a driver's other bugs). */
    LOG_ONLY
}
