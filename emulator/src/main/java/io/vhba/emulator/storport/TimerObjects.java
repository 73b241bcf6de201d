package io.vhba.emulator.storport;

import io.netty.util.concurrent.ScheduledFuture;
import io.vhba.emulator.kernel.Irql;
import io.vhba.miniport.HwStorTimerEx;
import io.vhba.miniport.StorStatus;
import io.vhba.miniport.StorTimer;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Timer objects ({@code StorPortInitializeTimer}, {@code StorPortRequestTimer},
 * {@code StorPortFreeTimer}), beside the adapter's one legacy {@code RequestTimerCall} timer.
 * Each is one-shot. Per storport.h, a request while an earlier one is still pending returns
 * STOR_STATUS_BUSY (the pending one stays), a value of 0 cancels, and freeing cancels. The
 * callback runs on processor 0 at DISPATCH_LEVEL under the StartIo lock (plus the interrupt
 * lock in half duplex), like HwStorTimer. TolerableDelay is accepted and not used: the
 * emulator fires at the requested microsecond.
 */
final class TimerObjects {
    private final Adapter a;
    private final Set<Slot> live = ConcurrentHashMap.newKeySet();

    /** The port's state of one StorTimer. */
    private final class Slot {
        ScheduledFuture<?> pending;
        boolean freed;
        long fired;
    }

    TimerObjects(Adapter adapter) {
        this.a = adapter;
    }

    int initialize(StorTimer timer) {
        if (timer == null) {
            return StorStatus.STOR_STATUS_INVALID_PARAMETER;
        }
        if (a.kernel.currentIrql() > Irql.DISPATCH_LEVEL) {
            return StorStatus.STOR_STATUS_INVALID_IRQL;
        }
        Slot s = new Slot();
        timer.bindPortContext(s);
        live.add(s);
        return StorStatus.STOR_STATUS_SUCCESS;
    }

    int request(StorTimer timer, HwStorTimerEx<?> callback, Object context, long micros) {
        Slot s = slot(timer);
        if (s == null || callback == null || micros < 0) {
            return StorStatus.STOR_STATUS_INVALID_PARAMETER;
        }
        synchronized (s) {
            if (micros == 0) {
                cancel(s);
                return StorStatus.STOR_STATUS_SUCCESS;
            }
            if (s.pending != null) {
                return StorStatus.STOR_STATUS_BUSY; // "a previous timer request is active"
            }
            @SuppressWarnings("unchecked")
            HwStorTimerEx<Object> cb = (HwStorTimerEx<Object>) callback;
            s.pending = a.kernel.processor(0).executor().schedule(() -> fire(s, cb, context), micros, TimeUnit.MICROSECONDS);
        }
        return StorStatus.STOR_STATUS_SUCCESS;
    }

    int free(StorTimer timer) {
        Slot s = slot(timer);
        if (s == null) {
            return StorStatus.STOR_STATUS_INVALID_PARAMETER;
        }
        synchronized (s) {
            cancel(s);
            s.freed = true;
        }
        live.remove(s);
        timer.bindPortContext(null);
        return StorStatus.STOR_STATUS_SUCCESS;
    }

    /** How many times the timer's callback ran (for tests); -1 for an unknown handle. */
    long firedCount(StorTimer timer) {
        Slot s = slot(timer);
        if (s == null) {
            return -1;
        }
        synchronized (s) {
            return s.fired;
        }
    }

    void cancelAll() {
        for (Slot s : live) {
            synchronized (s) {
                cancel(s);
            }
        }
    }

    private void fire(Slot s, HwStorTimerEx<Object> cb, Object context) {
        synchronized (s) {
            if (s.freed || s.pending == null) {
                return; // cancelled after the executor picked it up
            }
            s.pending = null;
            s.fired++;
        }
        if (a.state != AdapterState.RUNNING && a.state != AdapterState.STARTING) {
            return;
        }
        LockedCall.underStartIoLock(a, "HwStorTimerEx", () -> {
            cb.timer(a.deviceExtension, context);
            return true;
        });
    }

    private Slot slot(StorTimer timer) {
        return timer != null && timer.portContext() instanceof Slot s && live.contains(s) ? s : null;
    }

    private static void cancel(Slot s) {
        if (s.pending != null) {
            s.pending.cancel(false);
            s.pending = null;
        }
    }
}
