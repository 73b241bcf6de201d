package io.vhba.emulator.kernel.sched;

import io.vhba.emulator.kernel.Clock;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BiFunction;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One seeded scheduler over virtual time for every simulated thread (docs/architecture.md, "Deterministic mode").
 * At most one registered thread runs at a time: it holds the baton until its next scheduling point ({@link #point},
 * {@link #block}, {@link #sleepNanos}, the end of its body), where the step counter and the virtual clock advance,
 * due inputs are admitted, and the strategy picks who runs next among the runnable threads.
 *
 * <p>When no thread can run, the holder keeps the baton and moves time: in a live run it waits in real time for an
 * input or the earliest deadline (virtual time follows real time while idle, never backwards); in a replay or a
 * closed run it jumps to the next recorded input or deadline, and with neither it halts ({@link Halt.Kind#HANG}).
 */
public final class DeterministicScheduler implements Clock, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DeterministicScheduler.class);
    /** Virtual time one step takes. */
    public static final long QUANTUM_NANOS = 1_000;
    /** With assertions on, every this many points check that the holder holds no Java monitor. */
    private static final int MONITOR_CHECK_EVERY = 64;
    private static final boolean ASSERTIONS;

    static {
        boolean on = false;
        assert on = true;
        ASSERTIONS = on;
    }

    /** Where inputs come from. */
    public enum Source {
        /** Sockets, through {@link #offer}: idle means waiting for them in real time. */
        LIVE,
        /** A {@link ReplayFeed}: never waits. */
        REPLAY,
        /** Nothing from outside (exploration: the initiator is a simulated thread). */
        CLOSED
    }

    private final long seed;
    private final Random random;
    private final SchedulingStrategy strategy;
    private final Source source;
    private final ReplayFeed feed;
    private final List<SimThread> threads = new ArrayList<>();
    private final ThreadLocal<SimThread> self = new ThreadLocal<>();
    private final ConcurrentLinkedQueue<Object> inbox = new ConcurrentLinkedQueue<>();
    private final Object inboxSignal = new Object();
    private final List<Consumer<Halt>> haltListeners = new CopyOnWriteArrayList<>();
    private final StallWatchdog stallWatchdog;

    private volatile SimThread running;
    private volatile long step;
    private volatile long now;
    private volatile boolean idleWaiting;
    private volatile boolean terminating;
    private volatile Halt halt;
    private volatile boolean ended;
    private SimThread forcedNext;
    private boolean joinAdmittedSinceEnd;
    private long maxSteps = Long.MAX_VALUE;
    private long maxVirtualNanos = Long.MAX_VALUE;
    private Runnable pointHook;
    private long monitorViolations;
    private final java.util.concurrent.atomic.AtomicLong unrecorded = new java.util.concurrent.atomic.AtomicLong();
    private volatile String firstUnrecorded;

    /** A non-simulated thread asking to join, with what to do when it is admitted. */
    private static final class JoinTicket {
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

    public DeterministicScheduler(long seed, Source source, ReplayFeed feed, String strategy, long pctSteps,
                                  long stallLimitNanos) {
        if ((source == Source.REPLAY) != (feed != null)) {
            throw new IllegalArgumentException("a replay needs a feed, and only a replay has one");
        }
        this.seed = seed;
        this.random = new Random(seed);
        this.strategy = SchedulingStrategy.parse(strategy, pctSteps, random);
        this.source = source;
        this.feed = feed;
        this.stallWatchdog = stallLimitNanos > 0 ? new StallWatchdog(this, stallLimitNanos) : null;
    }

    public long seed() {
        return seed;
    }

    public Source source() {
        return source;
    }

    public String strategy() {
        return strategy.describe();
    }

    /** Steps so far. */
    public long steps() {
        return step;
    }

    /** Virtual nanoseconds since the run began. */
    @Override
    public long nanoTime() {
        return now;
    }

    /** Busy time: the virtual clock moves on, and no other thread runs meanwhile (no scheduling point). */
    @Override
    public void busy(long nanos) {
        if (nanos > 0 && isSimulatedThread()) {
            now += nanos;
        }
    }

    /** A budget: past either, the run halts with {@link Halt.Kind#BUDGET}. */
    public void setLimits(long maxSteps, long maxVirtualNanos) {
        this.maxSteps = maxSteps;
        this.maxVirtualNanos = maxVirtualNanos;
    }

    /** Runs on the holder at every step (the kernel's DPC watchdog in virtual time). */
    public void setPointHook(Runnable hook) {
        this.pointHook = hook;
    }

    public void onHalt(Consumer<Halt> listener) {
        haltListeners.add(listener);
    }

    /** Why the run stopped, or null while it goes on. */
    public Halt halt() {
        return halt;
    }

    /** Points at which the holder held a Java monitor (checked with assertions on); should stay 0. */
    public long monitorViolations() {
        return monitorViolations;
    }

    /** Whether the calling thread is one of this scheduler's simulated threads. */
    public boolean isSimulatedThread() {
        SimThread me = self.get();
        return me != null && !me.finished;
    }

    /** The calling simulated thread's name (stable from run to run, unlike a Java thread's), or null. */
    public String currentName() {
        SimThread me = self.get();
        return me == null ? null : me.name;
    }

    /** The simulated thread now holding the baton (for diagnostics). */
    public SimThread running() {
        return running;
    }

    /** Seeds for other random sources of the simulation (CHAP challenges, workload choices), derived from the seed. */
    public long derivedSeed(long salt) {
        long z = seed + salt * 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    // ---- threads ------------------------------------------------------------------------------

    /**
     * Registers and starts a simulated thread running {@code body}; it waits for the baton before it runs. Called by
     * a simulated thread (or before any exists), so the registration order, and with it every later choice, is
     * deterministic. {@code factory} makes the Java thread from the wrapped body and the name.
     */
    public SimThread spawn(String name, Runnable body, BiFunction<Runnable, String, Thread> factory) {
        requireHolderOrEmpty("spawn " + name);
        SimThread st = register(name);
        Thread t = factory.apply(() -> runBody(st, body), name);
        st.thread = t;
        t.setDaemon(true);
        t.start();
        return st;
    }

    /** As {@link #spawn} with a plain thread. */
    public SimThread spawn(String name, Runnable body) {
        return spawn(name, body, (r, n) -> new Thread(r, n));
    }

    private SimThread register(String name) {
        SimThread st = new SimThread(threads.size(), name);
        strategy.registered(st, random);
        threads.add(st);
        return st;
    }

    private void runBody(SimThread st, Runnable body) {
        self.set(st);
        try {
            awaitPermit(st);
            body.run();
        } catch (SchedulerTermination ended) {
            return;
        } catch (Throwable t) {
            LOG.error("simulated thread {} died", st, t);
        }
        try {
            exit(st);
        } catch (SchedulerTermination ended) {
            // terminated while handing over
        }
    }

    /**
     * The calling thread, which is not simulated, joins the simulation as a simulated thread. With no simulated
     * thread alive it gets the baton at once (booting); otherwise it is an input: it is admitted at a scheduling
     * point and runs next, and {@code onAdmit} runs then (a live run's end is recorded there). In a replay or a
     * closed run the admission waits for {@link #end}. Returns false, and the thread stays outside, if the run
     * halted instead.
     */
    public boolean join(String name, ExternalEvent onAdmit) {
        if (isSimulatedThread()) {
            return true;
        }
        JoinTicket ticket;
        synchronized (inbox) {
            if (running == null && aliveThreads() == 0) {
                SimThread st = register(name);
                st.thread = Thread.currentThread();
                st.joined = true;
                self.set(st);
                st.permit = true;
                running = st;
                if (onAdmit != null) {
                    onAdmit.admit(step, now);
                }
                return true;
            }
            ticket = new JoinTicket(name, Thread.currentThread(), onAdmit);
            inbox.add(ticket);
        }
        wakeIdle();
        for (;;) {
            SimThread st = ticket.admitted;
            if (st != null && st.permit) {
                st.lastPointRealNanos = System.nanoTime();
                self.set(st);
                return true;
            }
            if (terminating || halt != null) {
                inbox.remove(ticket);
                return false;
            }
            LockSupport.park(this);
        }
    }

    /** The calling simulated thread leaves the simulation and goes on as an ordinary thread. */
    public void leave() {
        SimThread me = self.get();
        if (me == null || me.finished) {
            return;
        }
        self.remove();
        exit(me);
    }

    private int aliveThreads() {
        int n = 0;
        for (SimThread t : threads) {
            if (!t.finished) {
                n++;
            }
        }
        return n;
    }

    /** A thread's body ended (or it left): the baton goes on without a wait. */
    private void exit(SimThread me) {
        if (terminating || running != me) {
            me.finished = true;
            return;
        }
        me.finished = true;
        advanceStep(me);
        SimThread next = pickOrIdle(me);
        running = next;
        if (next != null) {
            next.permit = true;
            LockSupport.unpark(next.thread);
        }
    }

    // ---- scheduling points --------------------------------------------------------------------

    /** A scheduling point of the calling thread; a no-op for a thread that is not simulated. */
    public void point() {
        SimThread me = self.get();
        if (me == null || me.finished || running != me || terminating) {
            return;
        }
        advanceStep(me);
        SimThread next = pickOrIdle(me);
        if (next != me) {
            transfer(me, next);
        }
    }

    /**
     * Blocks the calling simulated thread until {@code ready} holds; other threads run meanwhile. {@code wakeAt}
     * gives the virtual time at which {@code ready} may turn true by itself (a timer), so that the scheduler can
     * jump there when nothing else can run; {@code null} for none.
     */
    public void block(BooleanSupplier ready, LongSupplier wakeAt) {
        SimThread me = self.get();
        if (me == null || me.finished) {
            throw new IllegalStateException(Thread.currentThread().getName()
                    + " is not a simulated thread: it cannot wait inside the deterministic scheduler");
        }
        if (terminating) {
            throw new SchedulerTermination(me.name);
        }
        me.waitingFor = ready;
        me.wakeAt = wakeAt;
        try {
            advanceStep(me);
            for (;;) {
                SimThread next = pickOrIdle(me);
                if (next == me) {
                    return;
                }
                transfer(me, next);
                if (me.runnable()) {
                    return;
                }
                // handed the baton to move time on the others' behalf: nothing was runnable
            }
        } finally {
            me.waitingFor = null;
            me.wakeAt = null;
        }
    }

    /** The calling simulated thread sleeps {@code nanos} of virtual time. */
    public void sleepNanos(long nanos) {
        long wake = now + Math.max(0, nanos);
        block(() -> now >= wake, () -> wake);
    }

    /** The next step: time, PCT's change points, due inputs, the budget. */
    private void advanceStep(SimThread me) {
        long s = ++step;
        now += QUANTUM_NANOS;
        me.lastPointRealNanos = System.nanoTime();
        strategy.step(s, me);
        if (pointHook != null && me.thread == Thread.currentThread()) {
            pointHook.run();
        }
        if (ASSERTIONS && s % MONITOR_CHECK_EVERY == 0) {
            checkNoMonitorHeld(me);
        }
        if (s > maxSteps || now > maxVirtualNanos) {
            haltAndPark(me, new Halt(Halt.Kind.BUDGET, s, now, s > maxSteps ? "more than " + maxSteps + " steps"
                    : "more than " + TimeUnit.NANOSECONDS.toMillis(maxVirtualNanos) + " ms of virtual time"));
        }
        admit(me);
    }

    /** Admits what is due now: recorded inputs at this step (replay), then the inbox. */
    private void admit(SimThread me) {
        if (feed != null && !ended) {
            for (long next = feed.nextStep(); next <= step && !ended; next = feed.nextStep()) {
                long at = feed.nextVirtualNanos();
                if (next == step && at > now) {
                    break; // recorded while every thread idled: admitted when the replay idles at this step too
                }
                if (next < step || at < now) {
                    haltAndPark(me, new Halt(Halt.Kind.DIVERGED, step, now, "the record has an input at step " + next
                            + ", time " + at + " ns; the replay is at step " + step + ", time " + now + " ns"));
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
                SimThread st = register(j.name);
                st.thread = j.thread;
                st.joined = true;
                j.admitted = st;
                forcedNext = st;
                joinAdmittedSinceEnd = true;
                if (j.onAdmit != null) {
                    j.onAdmit.admit(step, now);
                }
            } else {
                ((ExternalEvent) o).admit(step, now);
            }
        }
    }

    /**
     * The next holder: a thread just admitted to join, else the strategy's pick among the runnable threads. With none
     * runnable, moves time (or waits for input) until one is; a thread that is leaving ({@code me} finished) hands the
     * baton to a waiting thread instead, which then moves time itself.
     */
    private SimThread pickOrIdle(SimThread me) {
        for (;;) {
            if (forcedNext != null) {
                SimThread f = forcedNext;
                forcedNext = null;
                return f;
            }
            List<SimThread> runnable = new ArrayList<>();
            for (SimThread t : threads) {
                if (t.runnable()) {
                    runnable.add(t);
                }
            }
            if (!runnable.isEmpty()) {
                return strategy.pick(runnable, random);
            }
            if (me.finished) {
                for (SimThread t : threads) {
                    if (!t.finished) {
                        return t; // it finds itself not runnable and moves time
                    }
                }
                return null;
            }
            idle(me);
        }
    }

    /** Nothing can run: move virtual time, or admit what comes, or halt. Runs on the holder. */
    private void idle(SimThread me) {
        long deadline = Long.MAX_VALUE;
        for (SimThread t : threads) {
            deadline = Math.min(deadline, t.deadline());
        }
        if (ended && !joinAdmittedSinceEnd) {
            waitForInbox(me, Long.MAX_VALUE); // the run is over: only the closer's join can come
            drainInbox();
            return;
        }
        switch (source) {
            case LIVE -> {
                long idleStart = now;
                long realStart = System.nanoTime();
                boolean input = waitForInbox(me, deadline == Long.MAX_VALUE ? Long.MAX_VALUE : deadline - now);
                long followed = idleStart + (System.nanoTime() - realStart);
                now = Math.max(now, Math.min(deadline, input ? followed : Math.max(followed, deadline)));
                drainInbox();
            }
            case REPLAY -> {
                if (!ended && feed.nextStep() == step && feed.nextVirtualNanos() >= now && feed.nextVirtualNanos() <= deadline) {
                    now = feed.nextVirtualNanos();
                    admit(me);
                } else if (deadline != Long.MAX_VALUE) {
                    now = Math.max(now, deadline);
                } else if (!ended) {
                    haltAndPark(me, new Halt(Halt.Kind.DIVERGED, step, now, feed.nextStep() == Long.MAX_VALUE
                            ? "the record ended without its END" : "every thread waits, and the record's next input is at step "
                            + feed.nextStep() + " (now " + step + ")"));
                }
            }
            case CLOSED -> {
                if (deadline != Long.MAX_VALUE) {
                    now = Math.max(now, deadline);
                } else if (!ended) {
                    haltAndPark(me, new Halt(Halt.Kind.HANG, step, now, "no thread can run and no timer is pending: "
                            + waiting()));
                }
            }
        }
        if (now > maxVirtualNanos) {
            haltAndPark(me, new Halt(Halt.Kind.BUDGET, step, now, "more than "
                    + TimeUnit.NANOSECONDS.toMillis(maxVirtualNanos) + " ms of virtual time"));
        }
    }

    /** The waiting threads, for a hang report. */
    private String waiting() {
        StringBuilder b = new StringBuilder();
        for (SimThread t : threads) {
            if (!t.finished) {
                b.append(b.length() == 0 ? "" : ", ").append(t.name);
            }
        }
        return b.toString();
    }

    /** Waits up to {@code nanos} of real time for the inbox; true if something came. */
    private boolean waitForInbox(SimThread me, long nanos) {
        long end = nanos == Long.MAX_VALUE ? Long.MAX_VALUE : System.nanoTime() + nanos;
        idleWaiting = true;
        try {
            synchronized (inboxSignal) {
                while (inbox.isEmpty()) {
                    if (terminating) {
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

    private void wakeIdle() {
        synchronized (inboxSignal) {
            inboxSignal.notifyAll();
        }
    }

    /** Hands the baton to {@code next} and waits until it comes back. */
    private void transfer(SimThread me, SimThread next) {
        running = next;
        me.permit = false;
        next.permit = true;
        LockSupport.unpark(next.thread);
        awaitPermit(me);
    }

    private void awaitPermit(SimThread me) {
        for (;;) {
            if (terminating) {
                throw new SchedulerTermination(me.name);
            }
            if (me.permit) {
                me.lastPointRealNanos = System.nanoTime();
                return;
            }
            LockSupport.park(this);
        }
    }

    // ---- inputs --------------------------------------------------------------------------------

    /**
     * An input from a thread that is not simulated (a socket event in a live run): it waits in the inbox and is
     * admitted at the next scheduling point (or at once if every thread idles). A replay takes its inputs from the
     * feed instead; offers there are admitted only after the end.
     */
    public void offer(ExternalEvent e) {
        inbox.add(e);
        wakeIdle();
    }

    /**
     * An input that cannot be recorded (a task handed to a simulated executor by some other thread): admitted like
     * {@link #offer}, counted, and a replay of the run may diverge from it (the first one is logged).
     */
    public void offerUnrecorded(String what, Runnable action) {
        if (unrecorded.getAndIncrement() == 0) {
            firstUnrecorded = what;
            LOG.warn("deterministic run: an unrecorded input from outside the simulation ({}); a replay may diverge", what);
        }
        offer((s, t) -> action.run());
    }

    /** How many unrecorded inputs came in, and the first one's description. */
    public long unrecordedInputs() {
        return unrecorded.get();
    }

    public String firstUnrecordedInput() {
        return firstUnrecorded;
    }

    /**
     * The run ends here (the replay reached its END, the workload finished): from now on the holder admits nothing
     * but the closer's {@link #join}, waiting for it in real time, so the end falls on this very step.
     */
    public void end() {
        if (ended) {
            return;
        }
        ended = true;
        joinAdmittedSinceEnd = false;
    }

    public boolean ended() {
        return ended;
    }

    // ---- ending -------------------------------------------------------------------------------

    private void haltAndPark(SimThread me, Halt h) {
        declareHalt(h);
        me.permit = false;
        running = null;
        if (me.joined) {
            // a thread from outside (booting, closing): it goes back outside with the news
            me.finished = true;
            self.remove();
            throw new RunHaltedException(h);
        }
        awaitPermit(me); // until terminate()
        throw new SchedulerTermination(me.name);
    }

    void declareHalt(Halt h) {
        if (halt != null) {
            return;
        }
        halt = h;
        LOG.error("deterministic run halted: {}", h);
        for (Object o : inbox) {
            if (o instanceof JoinTicket j) {
                LockSupport.unpark(j.thread);
            }
        }
        for (Consumer<Halt> l : haltListeners) {
            try {
                l.accept(h);
            } catch (RuntimeException e) {
                LOG.warn("halt listener failed", e);
            }
        }
    }

    /** Ends every simulated thread still registered: each throws {@link SchedulerTermination} at its next point. */
    public void terminate() {
        terminating = true;
        SimThread me = self.get();
        for (SimThread t : new ArrayList<>(threads)) {
            if (t.thread != null && t != me && t.thread != Thread.currentThread()) {
                LockSupport.unpark(t.thread);
            }
        }
        for (Object o : inbox) {
            if (o instanceof JoinTicket j) {
                LockSupport.unpark(j.thread);
            }
        }
        wakeIdle();
        if (me != null) {
            me.finished = true;
            self.remove();
        }
    }

    public boolean terminating() {
        return terminating;
    }

    /** Real-time facts for the stall watchdog. */
    boolean idleWaiting() {
        return idleWaiting;
    }

    @Override
    public void close() {
        if (stallWatchdog != null) {
            stallWatchdog.close();
        }
        terminate();
    }

    private void requireHolderOrEmpty(String what) {
        SimThread me = self.get();
        if ((me == null || running != me) && running != null) {
            throw new IllegalStateException(what + ": only a simulated thread holding the baton may do this");
        }
    }

    private void checkNoMonitorHeld(SimThread me) {
        ThreadInfo[] info = ManagementFactory.getThreadMXBean().getThreadInfo(new long[] {me.thread.getId()}, true, false);
        if (info.length == 1 && info[0] != null && info[0].getLockedMonitors().length > 0) {
            monitorViolations++;
            LOG.error("{} reached a scheduling point holding {}: a Java monitor must not be held across a point "
                    + "(docs/architecture.md, Deterministic mode)", me, info[0].getLockedMonitors()[0]);
        }
    }

    @Override
    public String toString() {
        return "DeterministicScheduler[seed " + seed + ", " + strategy.describe() + ", " + source + ", step " + step + "]";
    }
}
