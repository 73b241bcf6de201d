package io.vhba.emulator.verifier;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vhba.emulator.kernel.KThreadState;
import io.vhba.emulator.kernel.KernelRule;
import io.vhba.emulator.kernel.KernelViolationSink;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records, logs and counts bug checks, and tells the engine (listeners) so it can stop the
 * adapter. Every report throws {@link BugCheckException} to unwind the offending routine,
 * except with {@link VerifierPolicy#LOG_ONLY}.
 */
public final class StorportVerifier implements KernelViolationSink {
    private static final Logger LOG = LoggerFactory.getLogger(StorportVerifier.class);

    private final MeterRegistry meters;
    private volatile boolean enabled = true;
    private volatile VerifierPolicy policy = VerifierPolicy.STOP_ADAPTER;
    /**
     * How many bug checks are kept for {@link #bugChecks()}: the newest, each with its thread stacks. A
     * miniport that keeps failing (LOG_ONLY, or the same violation on every request) would otherwise
     * grow the list without bound. Every report is still logged and counted.
     */
    public static final int BUG_CHECK_CAPACITY = 256;

    private final ArrayDeque<BugCheck> bugChecks = new ArrayDeque<>();
    private long bugChecksDropped;
    private final List<Consumer<BugCheck>> listeners = new CopyOnWriteArrayList<>();
    /** {@code vhba.verifier.bugchecks{rule}}: one counter per rule from the start, so a first bug check is a rate. */
    private final Map<VerifierRule, Counter> bugCheckCounters = new EnumMap<>(VerifierRule.class);

    public StorportVerifier(MeterRegistry meters) {
        this.meters = meters;
        for (VerifierRule r : VerifierRule.values()) {
            bugCheckCounters.put(r, Counter.builder("vhba.verifier.bugchecks").description("Bug checks raised, by rule")
                    .tag("rule", r.name()).register(meters));
        }
    }

    public StorportVerifier() {
        this(new SimpleMeterRegistry());
    }

    /** The registry bug checks are counted in; the engine counts its miniport-facing meters here too. */
    public MeterRegistry meters() {
        return meters;
    }

    public boolean isEnabled() {
        return enabled;
    }

    /** Turns run-time checks on or off (on by default). Kernel deadlock guards stay on regardless. */
    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public VerifierPolicy policy() {
        return policy;
    }

    public void setPolicy(VerifierPolicy policy) {
        this.policy = policy;
    }

    public void addListener(Consumer<BugCheck> listener) {
        listeners.add(listener);
    }

    /** The newest {@value #BUG_CHECK_CAPACITY} bug checks, oldest first. */
    public List<BugCheck> bugChecks() {
        synchronized (bugChecks) {
            return List.copyOf(bugChecks);
        }
    }

    /** Bug checks pushed out of {@link #bugChecks()} by newer ones ({@code vhba.verifier.bugchecks.dropped}). */
    public long bugChecksDropped() {
        synchronized (bugChecks) {
            return bugChecksDropped;
        }
    }

    /** Waits for the first bug check of {@code rule}; null on timeout. */
    public BugCheck awaitBugCheck(VerifierRule rule, long timeout, TimeUnit unit) throws InterruptedException {
        long end = System.nanoTime() + unit.toNanos(timeout);
        do {
            for (BugCheck b : bugChecks()) {
                if (b.rule() == rule) {
                    return b;
                }
            }
            Thread.sleep(5);
        } while (System.nanoTime() < end);
        return null;
    }

    /**
     * Reports a violation on behalf of the adapter the calling thread works for. Throws
     * {@link BugCheckException} unless the policy is LOG_ONLY.
     */
    public void report(VerifierRule rule, String adapter, long p2, long p3, long p4, String detail,
                       Thread... otherThreads) {
        report(rule, adapter, KThreadState.current().routine(), p2, p3, p4, detail, otherThreads);
    }

    private void report(VerifierRule rule, String adapter, String routine, long p2, long p3, long p4, String detail,
                        Thread... otherThreads) {
        if (!enabled && rule != VerifierRule.SPIN_LOCK_DOUBLE_ACQUIRE) {
            return;
        }
        Map<String, List<String>> stacks = new LinkedHashMap<>();
        stacks.put(Thread.currentThread().getName(), frames(Thread.currentThread().getStackTrace()));
        for (Thread t : otherThreads) {
            if (t != null && t != Thread.currentThread()) {
                stacks.put(t.getName(), frames(t.getStackTrace()));
            }
        }
        BugCheck b = new BugCheck(rule.bugCheckCode(), rule, p2, p3, p4,
                adapter == null ? "-" : adapter, routine == null ? "-" : routine, detail, stacks);
        boolean dropped;
        synchronized (bugChecks) {
            dropped = bugChecks.size() == BUG_CHECK_CAPACITY;
            if (dropped) {
                bugChecks.removeFirst();
                bugChecksDropped++;
            }
            bugChecks.addLast(b);
        }
        if (dropped) {
            meters.counter("vhba.verifier.bugchecks.dropped").increment();
        }
        bugCheckCounters.get(rule).increment();
        LOG.error("{}", b.summary());
        for (Consumer<BugCheck> l : listeners) {
            try {
                l.accept(b);
            } catch (RuntimeException e) {
                LOG.warn("bug check listener failed", e);
            }
        }
        if (policy != VerifierPolicy.LOG_ONLY) {
            throw new BugCheckException(b);
        }
    }

    @Override
    public void violation(KernelRule rule, String detail) {
        report(VerifierRule.of(rule), adapterOfCurrentThread(), 0, 0, 0, detail);
    }

    /**
     * A finding the reporting thread makes about another one (the DPC watchdog about a stuck processor) is
     * that processor's: the adapter and routine it was running. A snapshot: the stuck thread wrote them
     * before it entered the routine that has not returned since.
     */
    @Override
    public void violation(KernelRule rule, long p2, long p3, long p4, String detail, Thread... involved) {
        KThreadState st = KThreadState.current();
        KThreadState subject = st.portContext() == null && involved.length > 0 ? KThreadState.of(involved[0]) : null;
        if (subject != null && subject.portContext() != null) {
            report(VerifierRule.of(rule), subject.portContext().toString(), subject.routine(), p2, p3, p4, detail, involved);
        } else {
            report(VerifierRule.of(rule), adapterOfCurrentThread(), p2, p3, p4, detail, involved);
        }
    }

    @Override
    public void routineFailed(String routine, Throwable failure) {
        if (!(failure instanceof BugCheckException)) { // a bug check was reported already
            try {
                report(VerifierRule.MINIPORT_EXCEPTION, adapterOfCurrentThread(), 0, 0, 0, routine + " threw " + failure);
            } catch (BugCheckException ignored) {
                // the routine has already unwound; nothing more to unwind
            }
            LOG.error("{} threw", routine, failure);
        }
        if (policy == VerifierPolicy.THROW) {
            // THROW: the failure reaches whoever waits on the work the routine ran in (a test), not just the log
            if (failure instanceof RuntimeException r) {
                throw r;
            }
            if (failure instanceof Error e) {
                throw e;
            }
        }
    }

    private static String adapterOfCurrentThread() {
        Object ctx = KThreadState.current().portContext();
        return ctx == null ? "-" : ctx.toString();
    }

    private static List<String> frames(StackTraceElement[] trace) {
        List<String> l = new ArrayList<>(trace.length);
        for (StackTraceElement e : trace) {
            if (!e.getClassName().startsWith("java.lang.Thread")) {
                l.add(e.toString());
            }
        }
        return l;
    }
}
