package io.vhba.emulator.kernel.sched;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * How the scheduler picks the next thread at a scheduling point. Both draw from the scheduler's one seeded
 * {@link Random}, so the seed names the schedule.
 */
public sealed interface SchedulingStrategy permits SchedulingStrategy.Uniform, SchedulingStrategy.Pct {

    /** A new thread registered (PCT gives it a priority). */
    void registered(SimThread t, Random random);

    /** Step {@code step} begins with {@code running} holding the baton (PCT's change points). */
    void step(long step, SimThread running);

    /** One of {@code runnable} (non-empty, registration order). */
    SimThread pick(List<SimThread> runnable, Random random);

    /** The name used on the command line and in records. */
    String describe();

    /** {@code random} or {@code pct} (depth 3, the given step estimate); a one-line error for anything else. */
    static SchedulingStrategy parse(String name, long pctSteps, Random random) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "random" -> new Uniform();
            case "pct" -> new Pct(3, pctSteps, random);
            default -> throw new IllegalArgumentException("strategy: '" + name + "' is not random or pct");
        };
    }

    /** Uniformly random among the runnable threads. */
    final class Uniform implements SchedulingStrategy {
        @Override
        public void registered(SimThread t, Random random) {
            // no state
        }

        @Override
        public void step(long step, SimThread running) {
            // no state
        }

        @Override
        public SimThread pick(List<SimThread> runnable, Random random) {
            return runnable.size() == 1 ? runnable.get(0) : runnable.get(random.nextInt(runnable.size()));
        }

        @Override
        public String describe() {
            return "random";
        }
    }

    /**
     * Probabilistic Concurrency Testing (Burckhardt, Kothari, Musuvathi, Nagarakatte, ASPLOS 2010): every thread
     * gets a random priority above {@code depth - 1} when it registers; the highest-priority runnable thread runs; at
     * {@code depth - 1} change points drawn uniformly from [1, steps] the running thread's priority drops to
     * {@code depth - 1 - i}, below every initial one. A bug of depth d is found with probability at least
     * 1/(n k^(d-1)) per run (n threads, k steps).
     */
    final class Pct implements SchedulingStrategy {
        private final int depth;
        private final long steps;
        private final long[] changePoints;
        private int nextChange;

        Pct(int depth, long steps, Random random) {
            if (depth < 1 || steps < 1) {
                throw new IllegalArgumentException("PCT needs depth >= 1 and steps >= 1");
            }
            this.depth = depth;
            this.steps = steps;
            this.changePoints = new long[depth - 1];
            for (int i = 0; i < changePoints.length; i++) {
                changePoints[i] = 1 + (long) (random.nextDouble() * steps);
            }
            Arrays.sort(changePoints);
        }

        @Override
        public void registered(SimThread t, Random random) {
            t.priority = depth + (long) random.nextInt(Integer.MAX_VALUE);
        }

        @Override
        public void step(long step, SimThread running) {
            while (nextChange < changePoints.length && changePoints[nextChange] <= step) {
                if (changePoints[nextChange] == step && running != null) {
                    running.priority = depth - 1 - nextChange;
                }
                nextChange++;
            }
        }

        @Override
        public SimThread pick(List<SimThread> runnable, Random random) {
            SimThread best = runnable.get(0);
            for (int i = 1; i < runnable.size(); i++) {
                SimThread t = runnable.get(i);
                if (t.priority > best.priority) {
                    best = t;
                }
            }
            return best;
        }

        @Override
        public String describe() {
            return "pct(depth=" + depth + ",steps=" + steps + ")";
        }
    }
}
