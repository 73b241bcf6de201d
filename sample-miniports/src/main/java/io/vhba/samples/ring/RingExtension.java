package io.vhba.samples.ring;

import io.vhba.samples.common.Bar0;

/**
 * The device extension: one per adapter, created by the port from the factory in the
 * {@code HW_INITIALIZATION_DATA}, filled in by FindAdapter and HwInitialize and read by every
 * other callback.
 */
final class RingExtension {
    Bar0 registers;
    /** Processors in the machine (all groups), from StorPortGetActiveGroupCount / StorPortGetGroupAffinity. */
    int processors;
    /** NumberOfPhysicalBreaks + 1: the most scatter/gather elements the port sends. */
    int maxSgElements;
    QueuePair[] queues;
    /** The pair whose message is {@code m}, or null. */
    QueuePair[] queueOfMessage;
    /** The pair each processor submits on: the one whose message interrupts that processor. */
    int[] queueOfProcessor;
    /** The STOR_PERF flags StorPortInitializePerfOpts granted (0 when it granted none). */
    int perfFlags;

    /** The pair processor {@code cpu} submits on. */
    QueuePair queueFor(int cpu) {
        return queues[cpu < queueOfProcessor.length ? queueOfProcessor[cpu] : cpu % queues.length];
    }
}
