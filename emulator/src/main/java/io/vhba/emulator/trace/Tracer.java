package io.vhba.emulator.trace;

import io.vhba.emulator.kernel.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The timeline (docs/architecture.md, "The timeline"): keeps the last {@code capacity} events in a ring and writes
 * them as Chrome trace-event JSON ({@link ChromeTraceWriter}). Off unless configured: every event site holds a
 * nullable reference and checks it, so an emulator without a trace pays one null check per site.
 *
 * <p>Tracks: one per simulated processor (tid 1 + its number), one per other thread that emits an event (workers, in
 * order of their first event), one per spin lock (its holds), and the LUN queues as counters and async slices.
 * Timestamps are the kernel clock; in deterministic mode each event is nudged at least one nanosecond past the
 * previous one, so that slices nest and flows bind even though virtual time only moves at scheduling points, and the
 * file is the same byte for byte on every replay.
 */
public final class Tracer {
    static final int FIRST_THREAD_TID = 100;
    static final int FIRST_LOCK_TID = 1000;

    private final Clock clock;
    private final boolean logicalTime;
    private final TraceEvent[] ring;
    private final AtomicLong recorded = new AtomicLong();
    private final Map<Thread, Integer> threadTids = new ConcurrentHashMap<>();
    private final Map<Integer, String> trackNames = new ConcurrentHashMap<>();
    private final Map<String, Integer> lockTids = new ConcurrentHashMap<>();
    private final AtomicInteger nextThreadTid = new AtomicInteger(FIRST_THREAD_TID);
    private final AtomicInteger nextLockTid = new AtomicInteger(FIRST_LOCK_TID);
    private final AtomicLong nextFlow = new AtomicLong();
    private final ThreadLocal<long[]> currentFlow = ThreadLocal.withInitial(() -> new long[1]);
    private long lastTs;
    private final String description;
    private final java.util.function.IntSupplier currentProcessor;
    private final java.util.function.Function<Thread, String> threadName;

    /**
     * @param deterministic timestamps nudged to be strictly increasing (one thread runs at a time)
     * @param description   what ran, for the file's metadata
     */
    public Tracer(Clock clock, int capacity, boolean deterministic, String description,
                  java.util.function.IntSupplier currentProcessor, java.util.function.Function<Thread, String> threadName) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be >= 1");
        }
        this.clock = clock;
        this.ring = new TraceEvent[capacity];
        this.logicalTime = deterministic;
        this.description = description;
        this.currentProcessor = currentProcessor;
        this.threadName = threadName;
    }

    /** A timestamp for an event: the clock, nudged past the last one in deterministic mode. */
    public long now() {
        long t = clock.nanoTime();
        if (!logicalTime) {
            return t;
        }
        synchronized (this) {
            lastTs = Math.max(t, lastTs + 1);
            return lastTs;
        }
    }

    /** Names the calling processor's track; the kernel calls it as each processor starts. */
    public void nameTrack(int tid, String name) {
        trackNames.put(tid, name);
    }

    /** The calling thread's track: its processor's, else one of its own. */
    int tid() {
        int processor = currentProcessor.getAsInt();
        if (processor >= 0) {
            return processor + 1;
        }
        Thread t = Thread.currentThread();
        Integer tid = threadTids.get(t);
        if (tid == null) {
            tid = threadTids.computeIfAbsent(t, x -> {
                int n = nextThreadTid.getAndIncrement();
                trackNames.put(n, threadName.apply(x));
                return n;
            });
        }
        return tid;
    }

    private void add(TraceEvent e) {
        long i = recorded.getAndIncrement();
        ring[(int) (i % ring.length)] = e;
    }

    // ---- events ---------------------------------------------------------------------------------

    /** A slice that began at {@code begin} ({@link #now()} then) ends now, on the caller's track. */
    public void complete(String name, String cat, long begin, String... args) {
        long end = now();
        add(new TraceEvent('X', tid(), name, cat, begin, Math.max(0, end - begin), 0, args));
    }

    /** A spin lock's hold from {@code begin} to now, on the lock's own track (holds of one lock never overlap). */
    public void lockHeld(String lock, long begin) {
        long end = now();
        int tid = lockTids.computeIfAbsent(lock, l -> {
            int n = nextLockTid.getAndIncrement();
            trackNames.put(n, "lock " + l);
            return n;
        });
        add(new TraceEvent('X', tid, "held", "lock", begin, Math.max(0, end - begin), 0, TraceEvent.NO_ARGS));
    }

    /** A moment on the caller's track ({@code global}: drawn across every track, as a verifier bug check is). */
    public void instant(String name, String cat, boolean global, String... args) {
        add(new TraceEvent(global ? 'I' : 'i', tid(), name, cat, now(), 0, 0, args));
    }

    /** A new flow id (an SRB's path through the layers). */
    public long newFlow() {
        return nextFlow.incrementAndGet();
    }

    /** A flow point on the caller's track: {@code 's'} start, {@code 't'} step, {@code 'f'} end. */
    public void flow(char ph, long id) {
        add(new TraceEvent(ph, tid(), "SRB", "srb", now(), 0, id, TraceEvent.NO_ARGS));
    }

    /** An async slice begins ({@code 'b'}) or ends ({@code 'e'}): an SRB in a LUN's queue. */
    public void async(char ph, String name, long id) {
        add(new TraceEvent(ph, 0, name, "lun", now(), 0, id, TraceEvent.NO_ARGS));
    }

    /** A counter track's new values. */
    public void counter(String name, String... args) {
        add(new TraceEvent('C', 0, name, "lun", now(), 0, 0, args));
    }

    /**
     * The flow the calling thread is carrying down the layers: set by the transport around submitting a command, read
     * by the port when it takes the SRB (0: none).
     */
    public void carryFlow(long id) {
        currentFlow.get()[0] = id;
    }

    public long carriedFlow() {
        return currentFlow.get()[0];
    }

    // ---- output -----------------------------------------------------------------------------------

    /** Events recorded so far (kept: at most the capacity). */
    public long recorded() {
        return recorded.get();
    }

    public int capacity() {
        return ring.length;
    }

    /** The kept events, oldest first. */
    TraceEvent[] kept() {
        long n = recorded.get();
        int count = (int) Math.min(n, ring.length);
        TraceEvent[] out = new TraceEvent[count];
        long first = n - count;
        for (int i = 0; i < count; i++) {
            out[i] = ring[(int) ((first + i) % ring.length)];
        }
        return out;
    }

    Map<Integer, String> trackNames() {
        return trackNames;
    }

    String description() {
        return description;
    }

    /** Writes the timeline to {@code file} (see {@link ChromeTraceWriter}). */
    public void write(java.nio.file.Path file) {
        ChromeTraceWriter.write(this, file);
    }
}
