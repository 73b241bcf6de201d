package io.vhba.emulator.storport;

import io.vhba.emulator.kernel.KThreadState;
import io.vhba.emulator.verifier.BugCheckException;
import io.vhba.emulator.verifier.VerifierPolicy;
import io.vhba.emulator.verifier.VerifierRule;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The boundary between an adapter and its miniport's routines: every call runs with the port context the verifier
 * reads, and what a routine breaks (a bug check, an exception) or the port finds on its return value stops the adapter
 * as the verifier's policy says. Static over the {@link Adapter} (which keeps the entry points): {@link #call} runs for
 * every StartIo, ISR and DPC.
 */
final class MiniportCalls {
    private static final Logger LOG = LoggerFactory.getLogger(Adapter.class);

    private MiniportCalls() {}

    /** See {@link Adapter#routineLabel}. */
    static String routineLabel(Adapter a, String routine) {
        String label = a.routineLabels.get(routine);
        if (label == null) {
            label = a.name() + " " + routine;
            if (a.routineLabels.size() < 256) {
                a.routineLabels.putIfAbsent(routine, label);
            }
        }
        return label;
    }

    /** See {@link Adapter#call}. */
    static boolean call(Adapter a, String routine, BooleanSupplier body) {
        KThreadState st = KThreadState.current();
        Object prevCtx = st.enterPortContext(a);
        String label = routineLabel(a, routine);
        String prevRoutine = st.enterRoutine(label);
        io.vhba.emulator.trace.Tracer t = a.kernel.trace();
        long begin = t == null ? 0 : t.now();
        try {
            return body.getAsBoolean();
        } catch (BugCheckException e) {
            onBugCheck(a, e);
            return false;
        } catch (OutOfMemoryError e) {
            // The JVM ran short, not the driver: no bug check. The routine counts as having returned false (a refused
            // StartIo is retried as BUSY), and the adapter keeps serving.
            a.counters.outOfMemory.increment();
            LOG.warn("{}: the JVM ran out of memory during {} ({}); not reported as a driver fault, the request is retried",
                    a.name(), routine, e.getMessage());
            return false;
        } catch (RuntimeException | Error e) {
            io.vhba.emulator.kernel.sched.SchedulerTermination.rethrowIf(e);
            try {
                a.engine.verifier().report(VerifierRule.MINIPORT_EXCEPTION, a.name(), 0, 0, 0, routine + " threw " + e);
            } catch (BugCheckException b) {
                LOG.error("{}: {} threw", a.name(), routine, e);
                onBugCheck(a, b);
            }
            return false;
        } finally {
            if (t != null) {
                t.complete(label, "miniport", begin);
            }
            st.exitRoutine(prevRoutine);
            st.exitPortContext(prevCtx);
        }
    }

    /** See {@link Adapter#verifyFailed}. */
    static void verifyFailed(Adapter a, VerifierRule rule, long p2, long p3, String detail) {
        a.engine.verifier().report(rule, a.name(), p2, p3, 0, detail);
    }

    /** See {@link Adapter#portFinding}. */
    static void portFinding(Adapter a, String routine, VerifierRule rule, long p2, long p3, String detail) {
        KThreadState st = KThreadState.current();
        String prev = st.enterRoutine(a.name() + " " + routine);
        try {
            verifyFailed(a, rule, p2, p3, detail);
        } catch (BugCheckException e) {
            onBugCheck(a, e);
        } finally {
            st.exitRoutine(prev);
        }
    }

    private static void onBugCheck(Adapter a, BugCheckException e) {
        if (a.engine.verifier().policy() != VerifierPolicy.LOG_ONLY) {
            a.fail("bug check: " + e.bugCheck().summary());
        }
        if (a.engine.verifier().policy() == VerifierPolicy.THROW) {
            throw e;
        }
    }
}
