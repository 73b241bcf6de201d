package io.vhba.emulator.storport;

import io.vhba.emulator.kernel.DpcImportance;
import io.vhba.emulator.kernel.KDpc;
import io.vhba.emulator.kernel.KProcessor;
import io.vhba.emulator.kernel.Kernel;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Storport's completion DPC: RequestComplete only queues the SRB here; a high-importance DPC
 * on the completing processor returns the SRBs to their owners and starts waiting requests,
 * once the miniport's routine has returned and released its locks. One queue per processor,
 * so the usual case (complete where issued) never crosses threads. The DPC is the completing
 * processor's, or with DPC redirection (StorPortInitializePerfOpts) the issuing processor's.
 */
final class CompletionQueues {
    private final Kernel kernel;
    private final ConcurrentLinkedQueue<EngineSrb>[] queues;
    private final KDpc[] dpcs;

    @SuppressWarnings("unchecked")
    CompletionQueues(Kernel kernel) {
        this.kernel = kernel;
        int n = kernel.processors().size();
        queues = new ConcurrentLinkedQueue[n];
        dpcs = new KDpc[n];
        for (int i = 0; i < n; i++) {
            ConcurrentLinkedQueue<EngineSrb> q = new ConcurrentLinkedQueue<>();
            queues[i] = q;
            KDpc d = new KDpc("Storport completion CPU" + i, (dpc, ctx, a1, a2) -> drain(q), null);
            d.setImportance(DpcImportance.HIGH);
            d.setTargetProcessor(i);
            dpcs[i] = d;
        }
    }

    void enqueue(EngineSrb srb) {
        KProcessor p = kernel.currentProcessor();
        int i = srb.adapter.perfOpts.completionProcessor(srb, p == null ? 0 : p.number());
        srb.completedOnProcessor = i;
        queues[i].add(srb);
        kernel.insertQueueDpc(dpcs[i], null, null);
    }

    private static void drain(ConcurrentLinkedQueue<EngineSrb> q) {
        EngineSrb s;
        while ((s = q.poll()) != null) {
            s.adapter.processCompletion(s);
        }
    }
}
