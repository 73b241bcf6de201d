package io.vhba.emulator.kernel.sched;

import io.vhba.emulator.kernel.sched.DeterministicScheduler.Source;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What enters a {@link DeterministicScheduler}'s run from outside it (docs/architecture.md, "Inputs enter at recorded
 * points"): the inbox that threads which are not simulated fill (socket events, join requests, unrecorded tasks), the
 * replay's {@link ReplayFeed}, and the run's end. The baton holder admits what is due at each step, and when no thread
 * can run it spends the idle time as the {@link Source} dictates: waiting for the inbox in real time (live), jumping to
 * the next recorded input (replay) or to the next deadline (closed).
 *
 * <p>Everything but the inbox, the idle flag and the unrecorded count is touched only by the baton holder.
 */
final class SchedulerInputs {
    /** The scheduler's own logger: the split into collaborators does not change where its messages go. */
    private static final Logger LOG = LoggerFactory.getLogger(DeterministicScheduler.class);

    /** A non-simulated thread asking to join, with what to do when it is admitted. */
    static final class JoinTicket {
        final String name;
        final Thread thread;
        final ExternalEvent onAdmit;
        volatile SimThread admitted;

        JoinTicket(String name, Thread thread, ExternalEvent onAdmit) {
            this.name = name;
            this.thread = thread;
            this.onAdmit = onAdmit;
        }
    }

    private final DeterministicScheduler s;
    private final ThreadTable threads;
    private final Source source;
    private final ReplayFeed feed;
    /**
     * {@link ExternalEvent}s and {@link JoinTicket}s in arrival order. Its monitor orders a booting
     * {@link DeterministicScheduler#join} against a ticket's arrival.
     */
    final ConcurrentLinkedQueue<Object> inbox = new ConcurrentLinkedQueue<>();
    private final Object inboxSignal = new Object();
    private final AtomicLong unrecorded = new AtomicLong();
    private volatile String firstUnrecorded;
    private volatile boolean idleWaiting;
    private volatile boolean ended;
    private boolean joinAdmittedSinceEnd;

    SchedulerInputs(DeterministicScheduler scheduler, ThreadTable threads, Source source, ReplayFeed feed) {
        this.s = scheduler;
        this.threads = threads;
        this.source = source;
        this.feed = feed;
    }

    /** See {@link DeterministicScheduler#offer}. */
    void offer(ExternalEvent e) {
        inbox.add(e);
        wakeIdle();
    }

    /** See {@link DeterministicScheduler#offerUnrecorded}. */
    void offerUnrecorded(String what, Runnable action) {
        if (unrecorded.getAndIncrement() == 0) {
            firstUnrecorded = what;
            LOG.warn("deterministic run: an unrecorded input from outside the simulation ({}); a replay may diverge", what);
        }
        offer((step, t) -> action.run());
    }

    long unrecordedInputs() {
        return unrecorded.get();
    }

    String firstUnrecordedInput() {
        return firstUnrecorded;
    }

    /** See {@link DeterministicScheduler#end}. */
    void end() {
        if (ended) {
            return;
        }
        ended = true;
        joinAdmittedSinceEnd = false;
    }

    boolean ended() {
        return ended;
    }

    /** Whether the holder now waits in real time for the inbox (the stall watchdog's exception). */
    boolean idleWaiting() {
        return idleWaiting;
    }

    /** Admits what is due now: recorded inputs at this step (replay), then the inbox. */
    void admit(SimThread me) {
        if (feed != null && !ended) {
            for (long next = feed.nextStep(); next <= s.steps() && !ended; next = feed.nextStep()) {
                long at = feed.nextVirtualNanos();
                if (next == s.steps() && at > s.nanoTime()) {
                    break; // recorded while every thread idled: admitted when the replay idles at this step too
                }
                if (next < s.steps() || at < s.nanoTime()) {
                    s.haltAndPark(me, new Halt(Halt.Kind.DIVERGED, s.steps(), s.nanoTime(), "the record has an input at step "
                            + next + ", time " + at + " ns; the replay is at step " + s.steps() + ", time " + s.nanoTime() + " ns"));
                }
                feed.admitNext();
            }
        }
        if (source == Source.LIVE || ended) {
            drainInbox();
        }
        while (ended && !joinAdmittedSinceEnd) {
            waitForInbox(me, Long.MAX_VALUE); // the run is over: nothing moves until the closer takes over, at this step
            drainInbox();
        }
    }

    private void drainInbox() {
        Object o;
        while ((o = inbox.poll()) != null) {
            if (o instanceof JoinTicket j) {
                SimThread st = threads.register(j.name);
                st.thread = j.thread;
                st.joined = true;
                j.admitted = st;
                s.runNext(st);
                joinAdmittedSinceEnd = true;
                if (j.onAdmit != null) {
                    j.onAdmit.admit(s.steps(), s.nanoTime());
                }
            } else {
                ((ExternalEvent) o).admit(s.steps(), s.nanoTime());
            }
        }
    }

    /**
     * Nothing can run and the earliest deadline is {@code deadline}: moves virtual time, or admits what comes, or
     * halts. Returns false when the run is over and only the closer's join was waited for (time did not move).
     */
    boolean idle(SimThread me, long deadline) {
        if (ended && !joinAdmittedSinceEnd) {
            waitForInbox(me, Long.MAX_VALUE); // the run is over: only the closer's join can come
            drainInbox();
            return false;
        }
        switch (source) {
            case LIVE -> {
                long idleStart = s.nanoTime();
                long realStart = System.nanoTime();
                boolean input = waitForInbox(me, deadline == Long.MAX_VALUE ? Long.MAX_VALUE : deadline - s.nanoTime());
                long followed = idleStart + (System.nanoTime() - realStart);
                s.moveTimeTo(Math.min(deadline, input ? followed : Math.max(followed, deadline)));
                drainInbox();
            }
            case REPLAY -> {
                if (!ended && feed.nextStep() == s.steps() && feed.nextVirtualNanos() >= s.nanoTime()
                        && feed.nextVirtualNanos() <= deadline) {
                    s.moveTimeTo(feed.nextVirtualNanos());
                    admit(me);
                } else if (deadline != Long.MAX_VALUE) {
                    s.moveTimeTo(deadline);
                } else if (!ended) {
                    s.haltAndPark(me, new Halt(Halt.Kind.DIVERGED, s.steps(), s.nanoTime(), feed.nextStep() == Long.MAX_VALUE
                            ? "the record ended without its END" : "every thread waits, and the record's next input is at step "
                            + feed.nextStep() + " (now " + s.steps() + ")"));
                }
            }
            case CLOSED -> {
                if (deadline != Long.MAX_VALUE) {
                    s.moveTimeTo(deadline);
                } else if (!ended) {
                    s.haltAndPark(me, new Halt(Halt.Kind.HANG, s.steps(), s.nanoTime(), "no thread can run and no timer is pending: "
                            + threads.waiting()));
                }
            }
        }
        return true;
    }

    /** Waits up to {@code nanos} of real time for the inbox; true if something came. */
    private boolean waitForInbox(SimThread me, long nanos) {
        long end = nanos == Long.MAX_VALUE ? Long.MAX_VALUE : System.nanoTime() + nanos;
        idleWaiting = true;
        try {
            synchronized (inboxSignal) {
                while (inbox.isEmpty()) {
                    if (s.terminating()) {
                        throw new SchedulerTermination(me.name);
                    }
                    long left = end == Long.MAX_VALUE ? Long.MAX_VALUE : end - System.nanoTime();
                    if (left <= 0) {
                        return false;
                    }
                    long ms = left == Long.MAX_VALUE ? 1000 : Math.max(1, TimeUnit.NANOSECONDS.toMillis(left));
                    inboxSignal.wait(Math.min(ms, 1000), ms == 1 && left < 1_000_000 ? (int) left : 0);
                }
                return true;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !inbox.isEmpty();
        } finally {
            idleWaiting = false;
            me.lastPointRealNanos = System.nanoTime();
        }
    }

    /** Wakes a holder waiting for the inbox in real time. */
    void wakeIdle() {
        synchronized (inboxSignal) {
            inboxSignal.notifyAll();
        }
    }

    /** Wakes every thread waiting outside to join, so that it sees the halt or the termination. */
    void unparkJoiners() {
        for (Object o : inbox) {
            if (o instanceof JoinTicket j) {
                LockSupport.unpark(j.thread);
            }
        }
    }
}
