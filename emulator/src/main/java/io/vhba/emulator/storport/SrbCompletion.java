package io.vhba.emulator.storport;

/**
 * Who learns that an SRB has finished: the SCSI target core for I/O, the engine for its own
 * requests (bus scan, resets). Called at DISPATCH_LEVEL on a processor thread, from the
 * engine's completion DPC, with no miniport lock held.
 */
@FunctionalInterface
public interface SrbCompletion {
    void srbCompleted(EngineSrb srb);
}
