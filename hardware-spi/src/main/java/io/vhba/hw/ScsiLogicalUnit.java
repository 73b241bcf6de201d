package io.vhba.hw;

import java.util.function.Consumer;

/**
 * A logical unit attached behind a controller (a disk). {@link #execute} runs on the
 * controller's context (the issuing processor in inline mode, the controller's worker in
 * threaded mode) and may be called from several threads at once; the unit serialises what
 * must be atomic (for example COMPARE AND WRITE) itself.
 *
 * <p>A controller that can keep a command open inside the device uses {@link #start} instead:
 * a command that outlives the call (a SANITIZE sent without IMMED runs for seconds, SBC-4
 * 5.22.1) then does not hold the controller's thread, and the controller can still abort it
 * or reset the unit while the device works.
 */
public interface ScsiLogicalUnit {

    /** Runs the command to its end and returns its result (blocking for as long as the command lasts). */
    ScsiResult execute(ScsiCommand command);

    /**
     * Starts the command; {@code done} receives its result exactly once: before this returns for most
     * commands, later and on another thread for one that outlives the call. The data buffer is not touched
     * after this returns. What {@link #execute} throws ({@link CommandLost}, {@link DmaFault}, ...) is thrown
     * from here, and {@code done} is then not called.
     */
    default void start(ScsiCommand command, Consumer<ScsiResult> done) {
        done.accept(execute(command));
    }
}
