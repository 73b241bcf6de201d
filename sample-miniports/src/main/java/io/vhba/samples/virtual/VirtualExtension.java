package io.vhba.samples.virtual;

import io.vhba.hw.ScsiBus;
import io.vhba.miniport.Srb;
import io.vhba.miniport.StorDpc;
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
    /** Runs queued requests against the backing and completes them. */
    final StorDpc executeDpc = new StorDpc();
}
