package io.vhba.emulator.kernel.sched;

/**
 * The recorded inputs of a run, in order, for a replay: the scheduler admits each exactly at its step, and checks
 * its virtual time. The last one ends the run ({@link DeterministicScheduler#end}).
 */
public interface ReplayFeed {

    /** The step of the next input, or {@code Long.MAX_VALUE} when none is left. */
    long nextStep();

    /** The virtual time the next input entered at. */
    long nextVirtualNanos();

    /** Admits the next input (as {@link ExternalEvent#admit}) and moves past it. */
    void admitNext();
}
