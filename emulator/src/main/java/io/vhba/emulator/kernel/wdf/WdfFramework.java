package io.vhba.emulator.kernel.wdf;

import io.vhba.emulator.kernel.Irql;
import io.vhba.emulator.kernel.KDpc;
import io.vhba.emulator.kernel.KernelRule;
import io.vhba.emulator.kernel.Kernel;
import io.vhba.miniport.wdf.WdfDpc;
import io.vhba.miniport.wdf.WdfDpcConfig;
import io.vhba.miniport.wdf.WdfObject;
import io.vhba.miniport.wdf.WdfObjectAttributes;
import io.vhba.miniport.wdf.WdfServices;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The KMDF-style DPC object over the kernel's DPC queues, as KMDF's FxDpc does it:
 * {@code WdfDpcEnqueue} is {@code KeInsertQueueDpc}; {@code WdfDpcCancel} is
 * {@code KeRemoveQueueDpc}, followed with Wait by {@code KeFlushQueuedDpcs} (which also
 * waits for a callback already running). Automatic serialisation takes the parent's
 * synchronisation lock around the callback. Misuse is reported to the kernel's sink as a
 * WDF_VIOLATION (0x10D).
 */
public final class WdfFramework implements WdfServices {
    private final Kernel kernel;
    private final AtomicInteger ids = new AtomicInteger();

    public WdfFramework(Kernel kernel) {
        this.kernel = kernel;
    }

    @Override
    public WdfObject objectCreate(WdfObjectAttributes attributes) {
        kernel.schedulingPoint();
        FxObject parent = attributes == null ? null : liveOrNull(attributes.parentObject(), "WdfObjectCreate");
        FxObject o = new FxObject("WDFOBJECT#" + ids.incrementAndGet(), parent);
        if (parent != null) {
            parent.children.add(o);
        }
        return o;
    }

    @Override
    public WdfDpc dpcCreate(WdfDpcConfig config, WdfObjectAttributes attributes) {
        kernel.schedulingPoint();
        if (config == null || attributes == null || attributes.parentObject() == null) {
            // KMDF: a DPC needs a parent (STATUS_INVALID_PARAMETER / STATUS_WDF_PARENT_NOT_SPECIFIED).
            throw new IllegalArgumentException("WdfDpcCreate needs a WDF_DPC_CONFIG and a ParentObject");
        }
        FxObject parent = live(attributes.parentObject(), "WdfDpcCreate");
        if (parent == null) {
            throw new IllegalArgumentException("WdfDpcCreate with a deleted ParentObject");
        }
        FxDpc d = new FxDpc("WDFDPC#" + ids.incrementAndGet(), parent, config);
        d.kdpc = new KDpc(d.name, (k, ctx, a1, a2) -> run(d), d);
        parent.children.add(d);
        return d;
    }

    private void run(FxDpc d) {
        boolean serialised = d.config.automaticSerialization();
        if (serialised) {
            acquire(d.parent);
        }
        d.callbackThreads.add(Thread.currentThread());
        try {
            d.config.evtDpcFunc().evtDpcFunc(d);
        } finally {
            d.callbackThreads.remove(Thread.currentThread());
            if (serialised) {
                release(d.parent);
            }
        }
    }

    @Override
    public boolean dpcEnqueue(WdfDpc dpc) {
        kernel.schedulingPoint();
        FxDpc d = dpc(dpc, "WdfDpcEnqueue");
        return d != null && kernel.insertQueueDpc(d.kdpc, null, null);
    }

    @Override
    public boolean dpcCancel(WdfDpc dpc, boolean wait) {
        kernel.schedulingPoint();
        FxDpc d = dpc(dpc, "WdfDpcCancel");
        return d != null && cancel(d, wait, "WdfDpcCancel");
    }

    private boolean cancel(FxDpc d, boolean wait, String routine) {
        boolean removed = kernel.removeQueueDpc(d.kdpc);
        if (wait && waitAllowed(d, routine)) {
            kernel.flushQueuedDpcs();
        }
        return removed;
    }

    /** Waiting for {@code d} deadlocks from its own callback and is illegal above PASSIVE_LEVEL: reported, and not done. */
    private boolean waitAllowed(FxDpc d, String routine) {
        if (d.callbackThreads.contains(Thread.currentThread())) {
            kernel.report(KernelRule.WDF_DPC_CANCEL_WAIT_IN_OWN_CALLBACK, System.identityHashCode(d), 0, 0,
                    routine + "(" + d + ", Wait = TRUE) from its own EvtDpcFunc would wait for itself");
            return false;
        }
        int irql = kernel.currentIrql();
        if (irql > Irql.PASSIVE_LEVEL) {
            kernel.report(KernelRule.WDF_IRQL_MISMATCH, irql, Irql.PASSIVE_LEVEL, 0,
                    routine + "(" + d + ", Wait = TRUE) at " + Irql.name(irql) + " (must be PASSIVE_LEVEL)");
            return false;
        }
        return true;
    }

    @Override
    public WdfObject dpcGetParentObject(WdfDpc dpc) {
        FxDpc d = dpc(dpc, "WdfDpcGetParentObject");
        return d == null ? null : d.parent;
    }

    @Override
    public void objectDelete(WdfObject object) {
        kernel.schedulingPoint();
        FxObject o = live(object, "WdfObjectDelete");
        if (o == null) {
            return;
        }
        delete(o);
        if (o.parent != null) {
            o.parent.children.remove(o);
        }
    }

    /**
     * Children first, as the framework disposes a tree. Every DPC in the tree leaves its queue
     * before the one wait, so none runs while a sibling is being waited for.
     */
    private void delete(FxObject o) {
        List<FxDpc> dpcs = new ArrayList<>();
        collect(o, dpcs);
        for (FxDpc d : dpcs) {
            kernel.removeQueueDpc(d.kdpc);
        }
        boolean canWait = true;
        for (FxDpc d : dpcs) {
            canWait &= waitAllowed(d, "WdfObjectDelete");
        }
        if (canWait && !dpcs.isEmpty()) {
            kernel.flushQueuedDpcs();
        }
        markDeleted(o);
    }

    private static void collect(FxObject o, List<FxDpc> into) {
        for (FxObject c : o.children) {
            collect(c, into);
        }
        if (o instanceof FxDpc d) {
            into.add(d);
        }
    }

    private static void markDeleted(FxObject o) {
        for (FxObject c : o.children) {
            markDeleted(c);
        }
        o.children.clear();
        o.deleted = true;
    }

    @Override
    public void objectAcquireLock(WdfObject object) {
        kernel.schedulingPoint();
        FxObject o = live(object, "WdfObjectAcquireLock");
        if (o != null) {
            acquire(o);
        }
    }

    @Override
    public void objectReleaseLock(WdfObject object) {
        kernel.schedulingPoint();
        FxObject o = live(object, "WdfObjectReleaseLock");
        if (o != null) {
            release(o);
        }
    }

    private void acquire(FxObject o) {
        int old = kernel.acquire(o.lock);
        o.lockOldIrql = old;
    }

    private void release(FxObject o) {
        kernel.release(o.lock, o.lockOldIrql);
    }

    // ---- handles ------------------------------------------------------------------------

    private FxObject liveOrNull(WdfObject h, String routine) {
        return h == null ? null : live(h, routine);
    }

    /** The object behind a handle, or null after reporting a deleted or foreign handle. */
    private FxObject live(WdfObject h, String routine) {
        if (!(h instanceof FxObject o)) {
            throw new IllegalArgumentException(routine + ": not a handle of this framework: " + h);
        }
        if (o.deleted) {
            kernel.report(KernelRule.WDF_HANDLE_DELETED, System.identityHashCode(o), 0, 0,
                    routine + "(" + o + ") after the object was deleted");
            return null;
        }
        return o;
    }

    private FxDpc dpc(WdfDpc h, String routine) {
        FxObject o = live(h, routine);
        if (o != null && !(o instanceof FxDpc)) {
            throw new IllegalArgumentException(routine + ": not a WDFDPC: " + o);
        }
        return (FxDpc) o;
    }
}
