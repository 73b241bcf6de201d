package io.vhba.emulator.storport;

import io.netty.util.concurrent.ScheduledFuture;
import io.vhba.emulator.kernel.KProcessor;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Why the port holds new requests for a whole adapter: the queue management routines a miniport
 * calls (storport.h {@code StorPortPause}/{@code StorPortResume}, {@code StorPortBusy}/
 * {@code StorPortReady}), a request it answered with SRB_STATUS_BUSY, and the LinkDown /
 * ResetDetected notifications.
 * While any reason stands, no request leaves the LU queues for BuildIo/StartIo; requests the
 * miniport already owns are unaffected. When the last reason goes, every LU queue is pumped.
 */
final class AdapterHolds {
    /** The reasons a hold can have; each is lifted on its own. */
    enum Reason {
        /** {@code StorPortPause}: until {@code StorPortResume} or the timeout. */
        PAUSE,
        /** {@code StorPortBusy}: until N completions or {@code StorPortReady}. */
        BUSY,
        /** A request came back SRB_STATUS_BUSY: until another completes, or {@link #BUSY_RETRY_NANOS}. */
        BUSY_STATUS,
        /** {@code StorPortNotification(LinkDown)}: until LinkUp (STORPORT.md, "Link"). */
        LINK_DOWN,
        /** {@code StorPortNotification(ResetDetected)}: for {@code BusResetHoldTime}. */
        RESET_HOLD
    }

    /** How long an SRB_STATUS_BUSY holds new requests when nothing completes meanwhile. */
    static final long BUSY_RETRY_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    private final Adapter a;
    private final Set<Reason> reasons = EnumSet.noneOf(Reason.class);
    private volatile boolean blocking;
    /** BUSY_STATUS is held: read on every completion, so the completion path takes no lock without it. */
    private volatile boolean busyStatus;
    private final AtomicBoolean busyTimerArmed = new AtomicBoolean();
    private ScheduledFuture<?> pauseTimer;
    private ScheduledFuture<?> resetTimer;
    private int busyRemaining;

    AdapterHolds(Adapter adapter) {
        this.a = adapter;
    }

    /** Whether new requests are held (read on every start decision, so lock-free). */
    boolean blocks() {
        return blocking;
    }

    synchronized boolean isHeld(Reason r) {
        return reasons.contains(r);
    }

    /** {@code StorPortPause}: a later pause replaces the earlier timeout. */
    void pause(int timeoutSeconds) {
        synchronized (this) {
            cancel(pauseTimer);
            set(Reason.PAUSE);
            pauseTimer = a.kernel.processor(0).executor().schedule(() -> lift(Reason.PAUSE),
                    Math.max(0, timeoutSeconds), TimeUnit.SECONDS);
        }
    }

    /** {@code StorPortResume}: false if the adapter was not paused. */
    boolean resume() {
        return lift(Reason.PAUSE);
    }

    /**
     * {@code StorPortBusy}: storport.h, "if RequestsToComplete is greater than the number of
     * currently outstanding requests, Storport completes all outstanding requests before
     * resuming", so the count is capped at what is outstanding; with nothing outstanding
     * there is nothing to wait for and no hold.
     */
    void busy(int requestsToComplete, int outstanding) {
        int n = Math.min(Math.max(0, requestsToComplete), outstanding);
        synchronized (this) {
            if (n == 0) {
                return;
            }
            busyRemaining = n;
            set(Reason.BUSY);
        }
    }

    /** {@code StorPortReady}. */
    boolean ready() {
        return lift(Reason.BUSY);
    }

    /** A request the miniport held has completed: counts down a StorPortBusy hold. */
    void onCompletion() {
        boolean done;
        synchronized (this) {
            if (!reasons.contains(Reason.BUSY)) {
                return;
            }
            done = --busyRemaining <= 0;
        }
        if (done) {
            lift(Reason.BUSY);
        }
    }

    /**
     * SRB_STATUS_BUSY: Storport requeues the request and starts nothing new until another request
     * completes ({@link #afterCompletion}), or for at most {@link #BUSY_RETRY_NANOS}.
     */
    void busyStatus() {
        synchronized (this) {
            set(Reason.BUSY_STATUS);
            busyStatus = true;
        }
        if (busyTimerArmed.compareAndSet(false, true)) {
            KProcessor p = a.kernel.currentProcessor();
            (p != null ? p : a.kernel.processor(0)).executor().schedule(() -> {
                busyTimerArmed.set(false);
                lift(Reason.BUSY_STATUS);
            }, BUSY_RETRY_NANOS, TimeUnit.NANOSECONDS);
        }
    }

    /** A request left the miniport: an SRB_STATUS_BUSY hold ends. */
    void afterCompletion() {
        if (busyStatus) {
            lift(Reason.BUSY_STATUS);
        }
    }

    /** LinkDown: true when the link was up. */
    boolean linkDown() {
        synchronized (this) {
            if (reasons.contains(Reason.LINK_DOWN)) {
                return false;
            }
            set(Reason.LINK_DOWN);
            return true;
        }
    }

    /** LinkUp: true when the link was down; the queues are pumped if nothing else holds them. */
    boolean linkUp() {
        return lift(Reason.LINK_DOWN);
    }

    /** Holds for {@code micros} (PORT_CONFIGURATION_INFORMATION.BusResetHoldTime); 0 holds nothing. */
    void resetHold(long micros) {
        if (micros <= 0) {
            return;
        }
        synchronized (this) {
            cancel(resetTimer);
            set(Reason.RESET_HOLD);
            resetTimer = a.kernel.processor(0).executor().schedule(() -> lift(Reason.RESET_HOLD), micros,
                    TimeUnit.MICROSECONDS);
        }
    }

    /** The adapter stopped: timers go, nothing is pumped. */
    synchronized void clear() {
        cancel(pauseTimer);
        cancel(resetTimer);
        reasons.clear();
        blocking = false;
        busyStatus = false;
    }

    private void set(Reason r) {
        reasons.add(r);
        blocking = true;
    }

    private boolean lift(Reason r) {
        boolean released;
        synchronized (this) {
            if (!reasons.remove(r)) {
                return false;
            }
            if (r == Reason.PAUSE) {
                cancel(pauseTimer);
                pauseTimer = null;
            } else if (r == Reason.RESET_HOLD) {
                cancel(resetTimer);
                resetTimer = null;
            } else if (r == Reason.BUSY) {
                busyRemaining = 0;
            } else if (r == Reason.BUSY_STATUS) {
                busyStatus = false;
            }
            released = reasons.isEmpty();
            blocking = !released;
        }
        if (released) {
            a.pumpAllUnits();
        }
        return true;
    }

    private static void cancel(ScheduledFuture<?> f) {
        if (f != null) {
            f.cancel(false);
        }
    }
}
