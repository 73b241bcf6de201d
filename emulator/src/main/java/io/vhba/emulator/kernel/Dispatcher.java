package io.vhba.emulator.kernel;

import io.vhba.emulator.kernel.sched.DeterministicScheduler;
import io.vhba.emulator.kernel.sched.SchedulerTermination;
import io.vhba.emulator.trace.Tracer;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link Kernel}'s interrupt delivery and per-processor dispatcher, and the device work posted by register
 * writes.
 *
 * <p>Delivery follows Windows: when a processor's IRQL drops below DIRQL its pending interrupts run (ISR at the
 * interrupt's DIRQL, holding its lock), and when it drops below DISPATCH_LEVEL its DPC queue drains. Work aimed at
 * another processor is handed over through that processor's event loop task queue, once per burst.
 */
final class Dispatcher {
    /** The kernel's own logger: the split into collaborators does not change where its messages go. */
    private static final Logger LOG = LoggerFactory.getLogger(Kernel.class);
    /** Consecutive re-deliveries of an asserted line after which it counts as a storm. */
    private static final int STORM_LIMIT = 100_000;

    private final Kernel kernel;
    /** The deterministic scheduler, or null when free-running (the one branch every hook takes). */
    private final DeterministicScheduler det;
    /** The timeline, or null (one check per event site). */
    private final Tracer trace;
    private final Clock clock;
    /** Failures a sink let out of a DPC or ISR on a loop's own dispatch, where nobody waits: rethrown by close. */
    final Queue<Throwable> escaped = new ConcurrentLinkedQueue<>();

    Dispatcher(Kernel kernel, DeterministicScheduler det, Tracer trace, Clock clock) {
        this.kernel = kernel;
        this.det = det;
        this.trace = trace;
        this.clock = clock;
    }

    // ---- interrupts ---------------------------------------------------------------------

    /** A device signals an edge interrupt (an MSI-X message). */
    void signal(KInterrupt ki) {
        ki.signals.increment();
        makePending(ki);
    }

    /** A device asserts a level-triggered line. */
    void assertLine(KInterrupt ki) {
        ki.signals.increment();
        ki.setAsserted(true);
        makePending(ki);
    }

    /** A device deasserts a level-triggered line. */
    void deassertLine(KInterrupt ki) {
        ki.setAsserted(false);
    }

    /** Unmasks an interrupt, delivering it if it became pending while masked. */
    void unmask(KInterrupt ki) {
        ki.setMasked(false);
        if (ki.pending.get()) {
            ki.affinity().pendingInterrupts.add(ki);
            requestDispatch(ki.affinity());
        }
    }

    private void makePending(KInterrupt ki) {
        if (!ki.pending.compareAndSet(false, true)) {
            return; // coalesced with the one not yet serviced
        }
        KProcessor p = ki.affinity();
        if (ki.isMasked()) {
            return; // stays pending until unmask
        }
        p.pendingInterrupts.add(ki);
        KThreadState st = KThreadState.current();
        if (st.processor() != p || st.irql < Irql.DISPATCH_LEVEL) {
            // On this processor above PASSIVE the next IRQL drop delivers it; otherwise hand over.
            requestDispatch(p);
        }
    }

    void requestDispatch(KProcessor p) {
        if (p.dispatchRequested.compareAndSet(false, true)) {
            p.executor().execute(() -> {
                p.dispatchRequested.set(false);
                dispatchCatching(p);
            });
        }
    }

    /** A dispatch nobody waits for: a failure a throwing sink let out is kept for {@link Kernel#close()}. */
    void dispatchCatching(KProcessor p) {
        try {
            dispatch(KThreadState.current());
        } catch (RuntimeException | Error e) {
            SchedulerTermination.rethrowIf(e);
            escaped.add(e);
            LOG.error("{}: a DPC or ISR failure escaped to the processor's loop", p, e);
        }
    }

    // ---- the dispatcher -----------------------------------------------------------------

    void dispatch(KThreadState st) {
        KProcessor p = st.processor();
        if (p == null) {
            return;
        }
        int base = st.irql;
        // The processor's own: only its thread dispatches, and a nested dispatch (a DPC lowering the IRQL) reuses it
        // after runDpc has taken the two arguments out.
        Object[] args = p.dpcArguments;
        for (;;) {
            if (base < Irql.DIRQL_MIN) {
                KInterrupt ki = p.pendingInterrupts.poll();
                if (ki != null) {
                    deliver(st, p, ki, base);
                    continue;
                }
            }
            if (base < Irql.DISPATCH_LEVEL) {
                if (det != null && p.drainable()) {
                    det.point(); // the processor takes its next DPC: an interrupt or another processor may come first
                    if (base < Irql.DIRQL_MIN && !p.pendingInterrupts.isEmpty()) {
                        continue;
                    }
                }
                KDpc d = p.dequeue(args);
                if (d != null) {
                    runDpc(st, p, d, args[0], args[1], base);
                    continue;
                }
            }
            return;
        }
    }

    private void deliver(KThreadState st, KProcessor p, KInterrupt ki, int base) {
        if (ki.isMasked()) {
            return; // stays pending (ki.pending is still set) until unmask
        }
        int storm = 0;
        boolean again;
        do {
            ki.pending.set(false);
            st.irql = ki.level();
            SpinLocks.lockSpin(ki.lock(), det);
            long begin = 0;
            if (trace != null) {
                begin = trace.now();
                ki.lock().heldSince = begin;
            }
            st.pushLock(ki.lock());
            String prev = st.enterRoutine(ki.routineLabel());
            boolean claimed = false;
            KernelMetrics.ProcessorTiming timing = p.timing;
            boolean timed = timing != null && timing.sampleIsr();
            long isrStart = timed ? clock.nanoTime() : 0;
            try {
                claimed = ki.isr().service(ki);
            } catch (RuntimeException | Error e) {
                SchedulerTermination.rethrowIf(e);
                routineFailed(ki.routineLabel(), e);
            } finally {
                if (timed) {
                    timing.isrTime(clock.nanoTime() - isrStart);
                }
                checkBalancedQuietly(st, ki.routineLabel(), ki.lock(), ki.level());
                st.popLock(ki.lock());
                if (trace != null) {
                    trace.lockHeld(ki.lock().name(), ki.lock().heldSince);
                    trace.complete(ki.routineLabel(), "isr", begin);
                }
                ki.lock().unlock();
                st.exitRoutine(prev);
                runPostedWork(st); // at DIRQL still: what the device raises now waits for the drop below
                st.irql = base;
            }
            p.isrsRun.increment();
            ki.delivered.increment();
            if (claimed) {
                ki.claimed.increment();
            }
            again = ki.isLevelTriggered() && ki.isAsserted() && ki.pending.compareAndSet(false, true);
            if (again && ++storm > STORM_LIMIT) {
                ki.setMasked(true);
                kernel.sink().violation(KernelRule.INTERRUPT_STORM, ki.level(), STORM_LIMIT, p.number(), ki
                        + " stayed asserted after " + STORM_LIMIT + " ISR runs; masked");
                return;
            }
        } while (again);
    }

    private void runDpc(KThreadState st, KProcessor p, KDpc d, Object a1, Object a2, int base) {
        st.irql = Irql.DISPATCH_LEVEL;
        long now = clock.nanoTime();
        p.runningDpcSinceNanos = now;
        p.watchdogReported = false;
        KernelMetrics.ProcessorTiming timing = p.timing;
        if (timing != null && d.queuedNanos != 0) {
            timing.dpcLatency(now - d.queuedNanos);
        }
        p.runningDpc = d;
        String prev = st.enterRoutine(d.routineLabel());
        long begin = trace == null ? 0 : trace.now();
        try {
            d.routine().run(d, d.deferredContext(), a1, a2);
        } catch (RuntimeException | Error e) {
            SchedulerTermination.rethrowIf(e);
            routineFailed(d.routineLabel(), e);
        } finally {
            checkBalancedQuietly(st, d.routineLabel(), null, Irql.DISPATCH_LEVEL);
            if (trace != null) {
                trace.complete(d.routineLabel(), "dpc", begin);
            }
            p.runningDpc = null;
            if (p.hung) {
                p.hung = false;
                LOG.warn("{}: {} returned after {} ms; the processor is back in service", p, d,
                        (clock.nanoTime() - p.runningDpcSinceNanos) / 1_000_000);
            }
            st.exitRoutine(prev);
            st.irql = base;
            p.dpcsRun.increment();
        }
    }

    /**
     * {@link #checkBalanced} after the routine returned: a sink that throws to unwind has
     * nothing left to unwind, and the processor's state must still be restored after it.
     */
    private void checkBalancedQuietly(KThreadState st, String routine, KSpinLock given, int level) {
        try {
            checkBalanced(st, routine, given, level);
        } catch (RuntimeException reported) {
            LOG.debug("{} reported after return: {}", routine, reported.getMessage());
        }
    }

    /** A routine must return at the IRQL it was called at, holding exactly the locks it was given. */
    private void checkBalanced(KThreadState st, String routine, KSpinLock given, int level) {
        KSpinLock inner = st.innermostLock();
        if (inner != given || st.irql != level) {
            String detail = routine + " returned at " + Irql.name(st.irql) + " holding " + st.heldLocks();
            int returnedAt = st.irql;
            int leaked = 0;
            // Release what leaked so the processor survives the report.
            while (st.innermostLock() != null && st.innermostLock() != given) {
                KSpinLock l = st.innermostLock();
                st.popLock(l);
                l.unlock();
                leaked++;
            }
            st.irql = level;
            kernel.sink().violation(KernelRule.IRQL_OR_LOCKS_LEAKED, returnedAt, level, leaked, detail);
        }
    }

    /**
     * Hands a routine's failure to the sink. A sink that rethrows it (policy THROW, {@link KernelViolationSink#THROWING})
     * makes it reach whoever waits on the work that ran the routine: the processor's state is restored by then.
     */
    private void routineFailed(String routine, Throwable t) {
        kernel.sink().routineFailed(routine, t);
    }

    // ---- posted device work -------------------------------------------------------------

    /**
     * A device's work for a posted register write ({@code DeviceContext.post}). On a processor holding a spin lock
     * (StartIo under the StartIo lock, an ISR under its interrupt lock) it waits until that processor releases its
     * last lock, so no lock is held across device work; a processor holding none, or a thread that is no processor,
     * runs it at once. It always runs on the writing processor, with no hand-off: the device simply finished a
     * little after the write, an interleaving real hardware produces too.
     */
    void postDeviceWork(Runnable work) {
        KThreadState st = KThreadState.current();
        KProcessor p = st.processor();
        if (p == null || st.innermostLock() == null) {
            runDeviceWork(work);
        } else {
            p.postedWork.addLast(work);
        }
    }

    /** Runs what this processor's writes posted, once it holds no spin lock (work may post more). */
    void runPostedWork(KThreadState st) {
        KProcessor p = st.processor();
        if (p == null || st.innermostLock() != null) {
            return;
        }
        Runnable w;
        while ((w = p.postedWork.pollFirst()) != null) {
            if (det != null) {
                det.point(); // the device starts on the doorbell's work: others may run first
            }
            runDeviceWork(w);
        }
    }

    private void runDeviceWork(Runnable work) {
        long begin = trace == null ? 0 : trace.now();
        try {
            work.run();
        } catch (RuntimeException | Error e) {
            SchedulerTermination.rethrowIf(e);
            // A device model's own failure, not the driver's: no bug check; logged, and the processor goes on.
            LOG.error("device work failed", e);
        }
        if (trace != null) {
            trace.complete("device work", "device", begin);
        }
    }
}
