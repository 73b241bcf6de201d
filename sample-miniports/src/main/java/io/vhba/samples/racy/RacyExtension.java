package io.vhba.samples.racy;

import io.vhba.hw.ScsiBus;
import io.vhba.hw.ScsiResult;
import io.vhba.miniport.Srb;
import io.vhba.miniport.kernel.KDpc;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/** The device extension of one racy adapter. */
final class RacyExtension {
    ScsiBus backing;
    /**
     * Requests the "device" finished and nobody has completed yet, each with the token of its start (an SRB is reused
     * for later requests). The map itself is thread-safe; the bug is that "still there? complete it, remove it" is
     * three steps, and the DPC takes them without the StartIo lock.
     */
    final Map<Srb, Long> outstanding = new ConcurrentHashMap<>();
    final AtomicLong tokens = new AtomicLong();
    /** The answers waiting for the completion DPC. */
    final ConcurrentLinkedQueue<Finished> finished = new ConcurrentLinkedQueue<>();
    /** The completion DPC (a kernel DPC: a virtual miniport may use the Ke* routines), aimed at the next processor. */
    final KDpc completionDpc = new KDpc();
    /** Processors in the system, from passive initialisation. */
    int processors = 1;

    /** A request the backing answered, for the DPC. */
    record Finished(Srb srb, long token, ScsiResult result) {}
}
