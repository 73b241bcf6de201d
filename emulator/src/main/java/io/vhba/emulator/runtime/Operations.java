package io.vhba.emulator.runtime;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The run-time changes the emulator made or is making (resizes, LUNs added and removed), with their progress, for
 * {@code GET /operations}. The newest {@value #KEPT} finished ones are kept. Whole-medium operations (SANITIZE,
 * FORMAT UNIT) are the disks' own and are listed next to these by {@link Vhba#operations()}.
 */
public final class Operations {
    static final int KEPT = 32;

    /** What an operation is. */
    public enum Kind { RESIZE, LUN_ADD, LUN_REMOVE, SANITIZE, FORMAT }

    /** Where it is. */
    public enum State { RUNNING, DONE, FAILED }

    /**
     * One operation.
     *
     * @param id       {@code op-N} for the runtime's own, {@code KIND:IQN/LUN} for a medium operation
     * @param percent  0..100
     * @param started  null when unknown (a medium operation an initiator started)
     * @param finished null while it runs
     * @param detail   what it does, or why it failed
     */
    public record Operation(String id, Kind kind, String target, int lun, State state, double percent,
                            Instant started, Instant finished, String detail) {}

    /** A running operation of the runtime's own. */
    final class Tracked {
        private final String id;
        private final Kind kind;
        private final String target;
        private final int lun;
        private final String detail;
        private final Instant started = Instant.now();
        private volatile double percent;
        private volatile State state = State.RUNNING;
        private volatile Instant finished;
        private volatile String failure;

        private Tracked(Kind kind, String target, int lun, String detail) {
            this.id = "op-" + ids.getAndIncrement();
            this.kind = kind;
            this.target = target;
            this.lun = lun;
            this.detail = detail;
        }

        void progress(double p) {
            percent = p;
        }

        void done() {
            end(State.DONE, null);
        }

        void failed(String why) {
            end(State.FAILED, why);
        }

        private void end(State s, String why) {
            failure = why;
            finished = Instant.now();
            if (s == State.DONE) {
                percent = 100;
            }
            state = s;
        }

        Operation view() {
            return new Operation(id, kind, target, lun, state, percent, started, finished,
                    failure == null ? detail : detail + ": " + failure);
        }
    }

    private final AtomicLong ids = new AtomicLong(1);
    private final ArrayDeque<Tracked> recent = new ArrayDeque<>();

    /** Starts tracking an operation. */
    synchronized Tracked begin(Kind kind, String target, int lun, String detail) {
        Tracked t = new Tracked(kind, target, lun, detail);
        recent.addLast(t);
        while (recent.size() > KEPT && recent.peekFirst().state != State.RUNNING) {
            recent.removeFirst();
        }
        return t;
    }

    /** The tracked operations, oldest first. */
    synchronized List<Operation> list() {
        List<Operation> l = new ArrayList<>();
        for (Tracked t : recent) {
            l.add(t.view());
        }
        return l;
    }
}
