package io.vhba.emulator.kernel;

import java.util.ArrayList;
import java.util.List;

/**
 * The kernel state of one thread: its IRQL and the spin locks it holds (innermost last).
 * Processor threads keep theirs in the thread object; other threads (work items, controller
 * workers, test threads) in a thread-local. Only the owning thread touches it.
 */
public final class KThreadState {
    private static final ThreadLocal<KThreadState> OTHER = ThreadLocal.withInitial(() -> new KThreadState(null));

    private final KProcessor processor;
    int irql = Irql.PASSIVE_LEVEL;
    private final ArrayList<KSpinLock> held = new ArrayList<>(4);
    /** The routine the port is running on this thread, for verifier messages (e.g. "HwStorStartIo"). */
    private String routine;
    /** The port-side object (an adapter) on whose behalf this thread runs miniport code, for the verifier. */
    private Object portContext;

    KThreadState(KProcessor processor) {
        this.processor = processor;
    }

    /** The calling thread's state. */
    public static KThreadState current() {
        Thread t = Thread.currentThread();
        if (t instanceof ProcessorThread p && p.state() != null) {
            return p.state();
        }
        return OTHER.get();
    }

    /**
     * The state of another thread if it is a simulated processor, else null: for reports one thread makes
     * about another (the DPC watchdog). Fields read this way are a snapshot, not synchronised.
     */
    public static KThreadState of(Thread t) {
        return t instanceof ProcessorThread p ? p.state() : null;
    }

    /** The processor this thread is, or null for a thread that is not a simulated processor. */
    public KProcessor processor() {
        return processor;
    }

    public int irql() {
        return irql;
    }

    /** The locks held, innermost last (a copy). */
    public List<KSpinLock> heldLocks() {
        return List.copyOf(held);
    }

    public boolean holds(KSpinLock lock) {
        for (int i = held.size() - 1; i >= 0; i--) {
            if (held.get(i) == lock) {
                return true;
            }
        }
        return false;
    }

    /** The innermost held lock, or null. */
    public KSpinLock innermostLock() {
        return held.isEmpty() ? null : held.get(held.size() - 1);
    }

    void pushLock(KSpinLock lock) {
        held.add(lock);
    }

    boolean popLock(KSpinLock lock) {
        for (int i = held.size() - 1; i >= 0; i--) {
            if (held.get(i) == lock) {
                held.remove(i);
                return true;
            }
        }
        return false;
    }

    public String routine() {
        return routine;
    }

    /** Sets the routine name and returns the previous one, to restore afterwards. */
    public String enterRoutine(String name) {
        String prev = routine;
        routine = name;
        return prev;
    }

    public void exitRoutine(String previous) {
        routine = previous;
    }

    public Object portContext() {
        return portContext;
    }

    /** Sets the port context and returns the previous one, to restore afterwards. */
    public Object enterPortContext(Object context) {
        Object prev = portContext;
        portContext = context;
        return prev;
    }

    public void exitPortContext(Object previous) {
        portContext = previous;
    }
}
