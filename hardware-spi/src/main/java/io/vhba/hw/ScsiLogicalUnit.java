package io.vhba.hw;

/**
 * A logical unit attached behind a controller (a disk). {@link #execute} runs on the
 * controller's context (the issuing processor in inline mode, the controller's worker in
 * threaded mode) and may be called from several threads at once; the unit serialises what
 * must be atomic (for example COMPARE AND WRITE) itself.
 */
public interface ScsiLogicalUnit {

    ScsiResult execute(ScsiCommand command);
}
