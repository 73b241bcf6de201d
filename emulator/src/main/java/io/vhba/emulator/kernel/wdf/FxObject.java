package io.vhba.emulator.kernel.wdf;

import io.vhba.emulator.kernel.Irql;
import io.vhba.emulator.kernel.KSpinLock;
import io.vhba.miniport.wdf.WdfObject;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A framework object: its place in the object tree and its synchronisation lock (a spin
 * lock at DISPATCH_LEVEL, the lock of an object whose ExecutionLevel is dispatch).
 */
class FxObject implements WdfObject {
    final String name;
    final FxObject parent;
    final List<FxObject> children = new CopyOnWriteArrayList<>();
    /** Not one of Storport's ranked locks: the framework's own. */
    final KSpinLock lock;
    /** The IRQL to restore when the lock holder releases it (one holder at a time). */
    int lockOldIrql;
    volatile boolean deleted;

    FxObject(String name, FxObject parent) {
        this.name = name;
        this.parent = parent;
        this.lock = new KSpinLock(name + " sync lock", Irql.DISPATCH_LEVEL, KSpinLock.RANK_NONE);
    }

    @Override
    public String toString() {
        return name;
    }
}
