package io.vhba.emulator.storport;

import io.vhba.emulator.kernel.KThreadState;
import io.vhba.emulator.verifier.BugCheckException;
import io.vhba.emulator.verifier.VerifierRule;
import io.vhba.miniport.NtStatus;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Bounds each start-up callback of one adapter start (FindAdapter, HwInitialize, the passive routine, each
 * command of the bus scan), as the DPC watchdog bounds a DPC. Windows would leave the PnP start hanging;
 * here the start must end with an answer. On expiry the verifier raises ROUTINE_TOO_LONG naming the
 * callback, with the stack of the thread still in it, the adapter is stopped and the start fails. The
 * thread cannot be stopped (Java cannot kill it): a processor stuck in driver code stays stuck, and the
 * runtime, whose start has failed, shuts the kernel down around it.
 */
final class StartWatchdog implements AutoCloseable {
    private final Adapter a;
    private final long limitMillis;
    private final CompletableFuture<Adapter> done;
    private final ScheduledExecutorService timer;
    /** Guarded by this: the callback being timed, and whether its time ran out. */
    private ScheduledFuture<?> armed;
    private long generation;
    /** Set once a callback overran: the start's failure, whoever reports it first. */
    private volatile DriverLoadException expiry;

    StartWatchdog(Adapter adapter, long limitMillis, CompletableFuture<Adapter> done) {
        this.a = adapter;
        this.limitMillis = limitMillis;
        this.done = done;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, adapter.name() + " start watchdog");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Starts timing {@code routine}; {@code thread} is where it runs, whose stack the bug check shows
     * (for a bus scan command, the thread that issued it).
     */
    synchronized void arm(String routine, Thread thread) {
        cancel();
        long g = ++generation;
        long since = System.nanoTime();
        armed = timer.schedule(() -> expired(g, routine, thread, since), limitMillis, TimeUnit.MILLISECONDS);
    }

    /** The callback returned in time. */
    synchronized void disarm() {
        cancel();
        generation++;
    }

    private void cancel() {
        if (armed != null) {
            armed.cancel(false);
            armed = null;
        }
    }

    private void expired(long g, String routine, Thread thread, long sinceNanos) {
        synchronized (this) {
            if (g != generation) {
                return; // returned meanwhile
            }
            armed = null;
        }
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sinceNanos);
        String where = thread == null ? "" : "; " + thread.getName() + " is still in it";
        String detail = routine + " has not returned after " + ms + " ms (limit " + limitMillis + " ms)" + where;
        // The report is the adapter's, about that routine: the label the verifier shows is "adapter routine".
        KThreadState st = KThreadState.current();
        String prev = st.enterRoutine(a.routineLabel(routine));
        try {
            a.engine.verifier().report(VerifierRule.ROUTINE_TOO_LONG, a.name(), ms, limitMillis, 0, detail, thread);
        } catch (BugCheckException reported) {
            // recorded; the start fails below whatever the policy, since the routine has not returned
        } finally {
            st.exitRoutine(prev);
        }
        expiry = new DriverLoadException(a.name() + ": " + routine + " did not return within " + limitMillis / 1000.0
                + " s" + where + " (bug check 0xF1/0x" + Integer.toHexString(VerifierRule.ROUTINE_TOO_LONG.subCode())
                + " ROUTINE_TOO_LONG)", NtStatus.STATUS_UNSUCCESSFUL);
        // stopping the adapter returns what it holds, which may end the start on this thread: expiry is set first
        a.fail("start: " + detail);
        done.completeExceptionally(expiry);
    }

    /** The failure a callback's overrun made of the start, or null. */
    DriverLoadException expiry() {
        return expiry;
    }

    @Override
    public synchronized void close() {
        cancel();
        generation++;
        timer.shutdownNow();
    }
}
