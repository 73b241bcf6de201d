package io.vhba.emulator.storport;

import io.netty.util.concurrent.ScheduledFuture;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Storport's one-second port timer for one adapter: each tick counts down the TimeOutValue of
 * every request the miniport owns, and hands those that reach zero to the
 * {@link ResetEscalation} (STORPORT.md, "Timeouts and resets"). A request's countdown starts
 * at the first tick that sees it, so it times out between TimeOutValue and TimeOutValue + 1
 * seconds after it reached the miniport, as with Storport's tick.
 *
 * <p>The clock stands still while the link is down (STORPORT.md, "Link") and while the port
 * is recovering from an earlier timeout. Every tick runs on processor 0, so the countdowns
 * and the escalation are confined to that thread.
 */
final class RequestTimeouts {
    private static final Logger LOG = LoggerFactory.getLogger(RequestTimeouts.class);

    private final Adapter a;
    private ScheduledFuture<?> task;

    RequestTimeouts(Adapter adapter) {
        this.a = adapter;
    }

    /** Starts the periodic tick; {@code periodMillis} 0 leaves ticking to {@link #tickNow} (tests). */
    synchronized void start(long periodMillis) {
        if (periodMillis <= 0 || task != null) {
            return;
        }
        task = a.kernel.processor(0).executor().scheduleAtFixedRate(this::tickSafely, periodMillis, periodMillis,
                TimeUnit.MILLISECONDS);
    }

    synchronized void stop() {
        if (task != null) {
            task.cancel(false);
            task = null;
        }
    }

    /** Runs one tick on processor 0; the future completes after it. */
    java.util.concurrent.CompletableFuture<Void> tickNow() {
        java.util.concurrent.CompletableFuture<Void> f = new java.util.concurrent.CompletableFuture<>();
        a.kernel.execute(a.kernel.processor(0), () -> {
            tickSafely();
            f.complete(null);
        });
        return f;
    }

    private void tickSafely() {
        try {
            tick();
        } catch (RuntimeException e) {
            LOG.error("{}: port timer tick failed", a.name(), e);
        }
    }

    /** One tick: on processor 0. */
    void tick() {
        if (a.state != AdapterState.RUNNING || a.isLinkDown()) {
            return;
        }
        if (a.escalation.active()) {
            a.escalation.tick();
            return;
        }
        List<EngineSrb> expired = new ArrayList<>();
        for (PortLogicalUnit u : a.allUnits()) {
            for (EngineSrb s : u.activeRequests()) {
                if (s.bypass || s.timedOut || s.state != SrbState.MINIPORT) {
                    continue;
                }
                if (s.ticksLeft < 0) {
                    s.ticksLeft = timeoutSeconds(s);
                } else if (--s.ticksLeft <= 0) {
                    expired.add(s);
                }
            }
        }
        if (!expired.isEmpty()) {
            a.escalation.timedOut(expired);
        }
    }

    /** TimeOutValue in seconds; 0 means the port's default, as Storport treats it. */
    int timeoutSeconds(EngineSrb s) {
        return s.timeOutValue > 0 ? s.timeOutValue : Math.max(1, a.engine.settings().defaultTimeoutSeconds());
    }
}
