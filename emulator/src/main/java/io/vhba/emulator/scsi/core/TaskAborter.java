package io.vhba.emulator.scsi.core;

/**
 * The transport's side of PREEMPT AND ABORT (SPC-4 5.13.11.2.6): the core knows which I_T nexuses
 * were preempted, the transport knows their tasks. The session layer implements this and hands
 * it to {@link ScsiTargetCore#setTaskAborter}.
 */
@FunctionalInterface
public interface TaskAborter {

    /**
     * Aborts every task of {@code nexus} addressed to {@code lun}, as ABORT TASK SET would
     * (an aborted task is never answered), and runs {@code done} once they have all ended.
     * May run {@code done} on any thread, before or after returning.
     */
    void abortTasks(ItNexus nexus, TargetLun lun, Runnable done);

    /** For a core without a transport: no nexus has tasks in flight. */
    TaskAborter NO_TRANSPORT = (nexus, lun, done) -> done.run();
}
