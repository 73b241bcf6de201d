package io.vhba.emulator.kernel.sched;

import io.vhba.emulator.kernel.Clock;
import java.util.List;
import java.util.Random;
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
 *
 * <p>This class holds the baton, the step counter and the clock. Its package-private collaborators: {@link ThreadTable}
 * (the registered threads), {@link SchedulerInputs} (inbox, replay feed, the end, idling by {@link Source}) and
 * {@link MonitorCheck} (no Java monitor across a point, with assertions on).
 */
public final class DeterministicScheduler implements Clock, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DeterministicScheduler.class);
    /** Virtual time one step takes. */
    public static final long QUANTUM_NANOS = 1_000;

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
    /** The inbox, the replay feed and the end: what enters the run from outside. */
    private final SchedulerInputs inputs;
    /** The simulated threads in registration order. */
    private final ThreadTable threads;
    private final ThreadLocal<SimThread> self = new ThreadLocal<>();
    private final List<Consumer<Halt>> haltListeners = new CopyOnWriteArrayList<>();
    private final StallWatchdog stallWatchdog;

    private volatile SimThread running;
    private volatile long step;
    private volatile long now;
    private volatile boolean terminating;
    private volatile Halt halt;
    private SimThread forcedNext;
    private long maxSteps = Long.MAX_VALUE;
    private long maxVirtualNanos = Long.MAX_VALUE;
    private Runnable pointHook;
    private final MonitorCheck monitorCheck = new MonitorCheck();

    public DeterministicScheduler(long seed, Source source, ReplayFeed feed, String strategy, long pctSteps,
                                  long stallLimitNanos) {
        if ((source == Source.REPLAY) != (feed != null)) {
            throw new IllegalArgumentException("a replay needs a feed, and only a replay has one");
        }
        this.seed = seed;
        this.random = new Random(seed);
        this.strategy = SchedulingStrategy.parse(strategy, pctSteps, random);
        this.source = source;
        this.threads = new ThreadTable(this.strategy, random);
        this.inputs = new SchedulerInputs(this, threads, source, feed);
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
        return monitorCheck.violations();
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
        SimThread st = threads.register(name);
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
        SchedulerInputs.JoinTicket ticket;
        synchronized (inputs.inbox) {
            if (running == null && threads.alive() == 0) {
                SimThread st = threads.register(name);
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
            ticket = new SchedulerInputs.JoinTicket(name, Thread.currentThread(), onAdmit);
            inputs.inbox.add(ticket);
        }
        inputs.wakeIdle();
        for (;;) {
            SimThread st = ticket.admitted;
            if (st != null && st.permit) {
                st.lastPointRealNanos = System.nanoTime();
                self.set(st);
                return true;
            }
            if (terminating || halt != null) {
                inputs.inbox.remove(ticket);
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
        monitorCheck.atPoint(s, me);
        if (s > maxSteps || now > maxVirtualNanos) {
            haltAndPark(me, new Halt(Halt.Kind.BUDGET, s, now, s > maxSteps ? "more than " + maxSteps + " steps"
                    : "more than " + TimeUnit.NANOSECONDS.toMillis(maxVirtualNanos) + " ms of virtual time"));
        }
        inputs.admit(me);
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
            List<SimThread> runnable = threads.runnable();
            if (!runnable.isEmpty()) {
                return strategy.pick(runnable, random);
            }
            if (me.finished) {
                return threads.firstAlive(); // it finds itself not runnable and moves time; null if none is left
            }
            idle(me);
        }
    }

    /** Nothing can run: move virtual time, or admit what comes, or halt. Runs on the holder. */
    private void idle(SimThread me) {
        if (inputs.idle(me, threads.earliestDeadline()) && now > maxVirtualNanos) {
            haltAndPark(me, new Halt(Halt.Kind.BUDGET, step, now, "more than "
                    + TimeUnit.NANOSECONDS.toMillis(maxVirtualNanos) + " ms of virtual time"));
        }
    }

    /** Idle time passed: virtual time moves forward to {@code t}, never back. Runs on the holder. */
    void moveTimeTo(long t) {
        now = Math.max(now, t);
    }

    /** A thread just admitted to join runs next, ahead of the strategy's pick. Runs on the holder. */
    void runNext(SimThread st) {
        forcedNext = st;
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
        inputs.offer(e);
    }

    /**
     * An input that cannot be recorded (a task handed to a simulated executor by some other thread): admitted like
     * {@link #offer}, counted, and a replay of the run may diverge from it (the first one is logged).
     */
    public void offerUnrecorded(String what, Runnable action) {
        inputs.offerUnrecorded(what, action);
    }

    /** How many unrecorded inputs came in, and the first one's description. */
    public long unrecordedInputs() {
        return inputs.unrecordedInputs();
    }

    public String firstUnrecordedInput() {
        return inputs.firstUnrecordedInput();
    }

    /**
     * The run ends here (the replay reached its END, the workload finished): from now on the holder admits nothing
     * but the closer's {@link #join}, waiting for it in real time, so the end falls on this very step.
     */
    public void end() {
        inputs.end();
    }

    public boolean ended() {
        return inputs.ended();
    }

    // ---- ending -------------------------------------------------------------------------------

    /** Declares the halt and parks the holder for good: it never returns normally. */
    void haltAndPark(SimThread me, Halt h) {
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
        inputs.unparkJoiners();
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
        threads.unparkAllBut(me);
        inputs.unparkJoiners();
        inputs.wakeIdle();
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
        return inputs.idleWaiting();
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

    @Override
    public String toString() {
        return "DeterministicScheduler[seed " + seed + ", " + strategy.describe() + ", " + source + ", step " + step + "]";
    }
}
