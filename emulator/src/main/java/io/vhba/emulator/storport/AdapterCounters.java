package io.vhba.emulator.storport;

import java.util.concurrent.atomic.LongAdder;

/** Counters of the request path, for metrics and for tests that prove I/O went through the miniport. */
public final class AdapterCounters {
    final LongAdder submitted = new LongAdder();
    final LongAdder startIo = new LongAdder();
    final LongAdder completed = new LongAdder();
    final LongAdder returned = new LongAdder();
    final LongAdder busy = new LongAdder();
    /** Miniport routines cut short by an {@link OutOfMemoryError} (retried, never a bug check). */
    final LongAdder outOfMemory = new LongAdder();
    final LongAdder loggedErrors = new LongAdder();
    final LongAdder lunResets = new LongAdder();

    public long submitted() { return submitted.sum(); }
    public long startIoCalls() { return startIo.sum(); }
    public long outOfMemory() { return outOfMemory.sum(); }
    /** RequestComplete notifications accepted from the miniport. */
    public long requestCompletes() { return completed.sum(); }
    public long returned() { return returned.sum(); }
    public long busyRequeues() { return busy.sum(); }
    public long loggedErrors() { return loggedErrors.sum(); }
    public long lunResets() { return lunResets.sum(); }
}
