package io.vhba.emulator.fault;

import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

/**
 * When an installed fault fires, counted over its opportunities: the commands that reach its
 * layer for its target (the DMA transfers for DMA faults, the interrupt signals for interrupt
 * faults). A trigger is a description; {@link #arm()} makes the stateful counter one installed
 * fault uses.
 */
public sealed interface Trigger permits Trigger.Once, Trigger.Times, Trigger.Every, Trigger.Probability {

    /** The first opportunity only. */
    record Once() implements Trigger {
        @Override
        public Armed arm() {
            return new Times(1).arm();
        }

        @Override
        public String toString() {
            return "once";
        }
    }

    /** The first {@code count} opportunities ({@code count=N}). */
    record Times(long count) implements Trigger {
        public Times {
            if (count < 1) {
                throw new IllegalArgumentException("count must be >= 1, got " + count);
            }
        }

        @Override
        public Armed arm() {
            AtomicLong seen = new AtomicLong();
            return new Armed(() -> seen.incrementAndGet() <= count, () -> seen.get() >= count);
        }

        @Override
        public String toString() {
            return "count=" + count;
        }
    }

    /** Every {@code period}-th opportunity: the N-th, the 2N-th, ... ({@code every=N}; every=1 is always). */
    record Every(long period) implements Trigger {
        public Every {
            if (period < 1) {
                throw new IllegalArgumentException("every must be >= 1, got " + period);
            }
        }

        @Override
        public Armed arm() {
            AtomicLong seen = new AtomicLong();
            return new Armed(() -> seen.incrementAndGet() % period == 0, () -> false);
        }

        @Override
        public String toString() {
            return "every=" + period;
        }
    }

    /**
     * Each opportunity with probability {@code p}, drawn from a generator seeded with
     * {@code seed}: the same seed and the same sequence of opportunities fire the same ones.
     */
    record Probability(double p, long seed) implements Trigger {
        public Probability {
            if (!(p >= 0 && p <= 1)) {
                throw new IllegalArgumentException("probability must be within 0..1, got " + p);
            }
        }

        @Override
        public Armed arm() {
            Random r = new Random(seed);
            return new Armed(() -> {
                synchronized (r) {
                    return r.nextDouble() < p;
                }
            }, () -> false);
        }

        @Override
        public String toString() {
            return "probability=" + p + ",seed=" + seed;
        }
    }

    /** A fresh counter for one installed fault. */
    Armed arm();

    /** The stateful side of a trigger; thread-safe. */
    final class Armed {
        private final java.util.function.BooleanSupplier decide;
        private final java.util.function.BooleanSupplier exhausted;

        Armed(java.util.function.BooleanSupplier decide, java.util.function.BooleanSupplier exhausted) {
            this.decide = decide;
            this.exhausted = exhausted;
        }

        /** Counts one opportunity; true if the fault fires on it. */
        public boolean fire() {
            return decide.getAsBoolean();
        }

        /** True once the trigger can never fire again (count reached). */
        public boolean exhausted() {
            return exhausted.getAsBoolean();
        }
    }
}
