package io.vhba.emulator.kernel.wdf;

import io.vhba.emulator.kernel.KDpc;
import io.vhba.miniport.wdf.WdfDpc;
import io.vhba.miniport.wdf.WdfDpcConfig;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** A framework DPC: a kernel DPC whose routine calls EvtDpcFunc, under the parent's lock when serialised. */
final class FxDpc extends FxObject implements WdfDpc {
    final WdfDpcConfig config;
    KDpc kdpc;
    /** Threads running the callback now (a re-queued DPC may run on two processors at once). */
    final Set<Thread> callbackThreads = ConcurrentHashMap.newKeySet();

    FxDpc(String name, FxObject parent, WdfDpcConfig config) {
        super(name, parent);
        this.config = config;
    }
}
