package io.vhba.miniport;

/**
 * {@code PORT_CONFIGURATION_INFORMATION.SynchronizationMode}. It decides the lock under
 * which {@code HwStorStartIo} runs (STORPORT.md, "The life of an SRB").
 */
public enum SynchronizationModel {
    /** {@code StorSynchronizeFullDuplex}: StartIo at DISPATCH_LEVEL under the StartIo lock. */
    FULL_DUPLEX,
    /** {@code StorSynchronizeHalfDuplex}: StartIo at DIRQL under the interrupt lock. */
    HALF_DUPLEX,
    /**
     * Concurrent channels: StartIo at DISPATCH_LEVEL, no StartIo lock. Storport's way to ask for it is
     * {@code STOR_PERF_CONCURRENT_CHANNELS} through {@link StorPort#initializePerfOpts}; setting it here
     * is vHBA's shortcut (one channel per processor).
     */
    CONCURRENT_CHANNELS
}
