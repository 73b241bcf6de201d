package io.vhba.emulator.storport;

import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The miniport's holds on one logical unit: {@code StorPortPauseDevice} (until
 * {@code StorPortResumeDevice} or the timeout) and {@code StorPortDeviceBusy} (until N of the
 * LU's outstanding requests complete, or {@code StorPortDeviceReady}). Kept apart from the
 * port's own pause of an LU queue (reset handling), so neither lifts the other.
 */
final class UnitHolds {
    private final PortLogicalUnit lu;
    private volatile boolean paused;
    private volatile boolean busy;
    private int busyRemaining;
    private ScheduledFuture<?> pauseTimer;

    UnitHolds(PortLogicalUnit lu) {
        this.lu = lu;
    }

    boolean blocks() {
        return paused || busy;
    }

    boolean isPaused() {
        return paused;
    }

    boolean isBusy() {
        return busy;
    }

    synchronized void pause(int timeoutSeconds) {
        if (pauseTimer != null) {
            pauseTimer.cancel(false);
        }
        paused = true;
        pauseTimer = lu.adapter().kernel.processor(0).executor().schedule(this::resume, Math.max(0, timeoutSeconds),
                TimeUnit.SECONDS);
    }

    boolean resume() {
        synchronized (this) {
            if (!paused) {
                return false;
            }
            paused = false;
            if (pauseTimer != null) {
                pauseTimer.cancel(false);
                pauseTimer = null;
            }
        }
        lu.adapter().pumpUnit(lu);
        return true;
    }

    /** Capped at the LU's outstanding count, as for the adapter (see {@link AdapterHolds#busy}). */
    void busy(int requestsToComplete, int outstanding) {
        int n = Math.min(Math.max(0, requestsToComplete), outstanding);
        synchronized (this) {
            if (n == 0) {
                return;
            }
            busyRemaining = n;
            busy = true;
        }
    }

    boolean ready() {
        synchronized (this) {
            if (!busy) {
                return false;
            }
            busy = false;
            busyRemaining = 0;
        }
        lu.adapter().pumpUnit(lu);
        return true;
    }

    /** One of the LU's requests completed (called before the LU is pumped). */
    void onCompletion() {
        synchronized (this) {
            if (busy && --busyRemaining <= 0) {
                busy = false;
            }
        }
    }

    synchronized void clear() {
        if (pauseTimer != null) {
            pauseTimer.cancel(false);
        }
        paused = false;
        busy = false;
    }
}
