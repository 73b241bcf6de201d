package io.vhba.emulator.storport;

import io.netty.util.concurrent.ScheduledFuture;
import io.vhba.emulator.kernel.Irql;
import io.vhba.emulator.kernel.KSpinLock;
import io.vhba.miniport.HwStorTimer;
import io.vhba.miniport.SynchronizationModel;
import java.util.concurrent.TimeUnit;

/**
 * The adapter's one miniport timer ({@code RequestTimerCall}): a new request replaces the
 * pending one, 0 cancels it. The routine runs on processor 0 at DISPATCH_LEVEL under the
 * StartIo lock (plus the interrupt lock in half duplex). Windows resolves it to about 10 ms;
 * here it fires at the requested microsecond, which is documented as a difference.
 */
final class MiniportTimer {
    private final Adapter a;
    private ScheduledFuture<?> pending;

    MiniportTimer(Adapter adapter) {
        this.a = adapter;
    }

    synchronized void request(HwStorTimer<?> routine, long micros) {
        if (pending != null) {
            pending.cancel(false);
            pending = null;
        }
        if (micros == 0) {
            return;
        }
        @SuppressWarnings("unchecked")
        HwStorTimer<Object> r = (HwStorTimer<Object>) routine;
        pending = a.kernel.processor(0).executor().schedule(() -> fire(r), micros, TimeUnit.MICROSECONDS);
    }

    private void fire(HwStorTimer<Object> r) {
        synchronized (this) {
            pending = null;
        }
        if (a.state != AdapterState.RUNNING && a.state != AdapterState.STARTING) {
            return;
        }
        KSpinLock[] locks = a.config.getSynchronizationMode() == SynchronizationModel.HALF_DUPLEX
                ? concat(a.startIoLock, a.interruptLocks()) : new KSpinLock[] {a.startIoLock};
        int old = a.kernel.raiseIrql(Irql.DISPATCH_LEVEL);
        try {
            int o2 = a.kernel.acquire(locks[0]);
            KSpinLock[] rest = java.util.Arrays.copyOfRange(locks, 1, locks.length);
            int o3 = rest.length > 0 ? a.kernel.acquireGroup(rest) : -1;
            try {
                a.call("HwStorTimer", () -> {
                    r.timer(a.deviceExtension);
                    return true;
                });
            } finally {
                if (rest.length > 0) {
                    a.kernel.releaseGroup(rest, o3);
                }
                a.kernel.release(locks[0], o2);
            }
        } finally {
            a.kernel.lowerIrql(old);
        }
    }

    synchronized void cancel() {
        if (pending != null) {
            pending.cancel(false);
            pending = null;
        }
    }

    private static KSpinLock[] concat(KSpinLock first, KSpinLock[] rest) {
        KSpinLock[] l = new KSpinLock[rest.length + 1];
        l[0] = first;
        System.arraycopy(rest, 0, l, 1, rest.length);
        return l;
    }
}
