package io.vhba.emulator.kernel.sched;

/**
 * Something from outside the simulation (a socket read, a connection opened or closed, a fault injected through the
 * API) that enters it at a scheduling point, never in between. It is admitted by the baton holder, at the step and
 * virtual time given, and must only queue work on a simulated thread (a task on a processor): running handler code
 * inline would run it in the middle of whatever the holder was doing.
 */
@FunctionalInterface
public interface ExternalEvent {

    void admit(long step, long virtualNanos);
}
