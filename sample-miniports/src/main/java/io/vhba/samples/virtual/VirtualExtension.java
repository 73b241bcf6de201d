package io.vhba.samples.virtual;

import io.vhba.hw.ScsiBus;
import io.vhba.hw.ScsiResult;
import io.vhba.miniport.Srb;
import io.vhba.miniport.StorDpc;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/** The device extension of one virtual adapter. */
final class VirtualExtension {
    /** The backing: the logical units the platform gave FindAdapter as BusInformation. */
    ScsiBus backing;
    int targets;
    int luns;
    /**
     * Requests StartIo accepted and no DPC has taken yet. Lock-free (an interlocked SList in C):
     * StartIo, the DPC on several processors at once, and ResetBus all take from it, and whoever
     * takes an SRB out completes it, so each SRB is completed once.
     */
    final ConcurrentLinkedQueue<Srb> queued = new ConcurrentLinkedQueue<>();
    /**
     * Requests the backing still holds after the DPC that ran them returned (a SANITIZE without IMMED
     * answers seconds later). Whoever removes an SRB completes it: the DPC once its answer is in
     * {@link #answered}, or an abort or reset first.
     */
    final Set<Srb> inBacking = ConcurrentHashMap.newKeySet();
    /** Answers the backing gave after the DPC returned, for the next DPC run to complete. */
    final ConcurrentLinkedQueue<LateAnswer> answered = new ConcurrentLinkedQueue<>();
    /** Runs queued requests against the backing and completes them. */
    final StorDpc executeDpc = new StorDpc();

    /** An answer of the backing for an SRB the DPC left in {@link #inBacking}. */
    record LateAnswer(Srb srb, ScsiResult result) {}
}
