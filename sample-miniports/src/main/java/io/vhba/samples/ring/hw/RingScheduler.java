package io.vhba.samples.ring.hw;

import io.vhba.hw.ControllerOptions;
import io.vhba.hw.DeviceContext;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.DelayQueue;
import java.util.concurrent.Delayed;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/** Where fetched commands run: {@link ControllerOptions.Mode} made executable. */
sealed interface RingScheduler permits RingScheduler.Inline, RingScheduler.Threaded {

    /** Takes the commands one SQ_TAIL write fetched from {@code queue}. */
    void submit(DeviceQueue queue, List<RingCommand> commands);

    /** Stops the worker, if any; commands not yet run are dropped (the device is going away). */
    void shutdown();

    static RingScheduler create(ControllerOptions options, CommandRunner runner, Consumer<DeviceQueue> raise,
                                DeviceContext context) {
        LongSupplier nanoTime = context::nanoTime;
        return switch (options.mode()) {
            case INLINE -> new Inline(runner, raise, context);
            case THREADED -> new Threaded(runner, raise, nanoTime, TimeUnit.MICROSECONDS.toNanos(options.latencyMicros()));
        };
    }

    /**
     * The doorbell is a posted write ({@link DeviceContext#post}): the fetched commands run on the writing processor
     * once it has left its spin locks (the pair's MSI lock), then the queue's vector is raised once: the fast path.
     */
    final class Inline implements RingScheduler {
        private final CommandRunner runner;
        private final Consumer<DeviceQueue> raise;
        private final DeviceContext context;

        Inline(CommandRunner runner, Consumer<DeviceQueue> raise, DeviceContext context) {
            this.runner = runner;
            this.raise = raise;
            this.context = context;
        }

        @Override
        public void submit(DeviceQueue queue, List<RingCommand> commands) {
            context.post(() -> {
                boolean posted = false;
                for (RingCommand c : commands) {
                    posted |= runner.run(c);
                }
                if (posted) {
                    raise.accept(queue);
                }
            });
        }

        @Override
        public void shutdown() {
            // no thread of its own
        }
    }

    /**
     * One worker thread runs each command once its latency has elapsed. Every command due when the worker
     * wakes runs in one batch, and each queue the batch posted to is raised once at its end: completions
     * coalesce under load, as on real controllers.
     */
    final class Threaded implements RingScheduler {
        private static final AtomicInteger IDS = new AtomicInteger();

        private final CommandRunner runner;
        private final Consumer<DeviceQueue> raise;
        private final LongSupplier nanoTime;
        private final long latencyNanos;
        private final DelayQueue<Due> due = new DelayQueue<>();
        /** Ties broken by arrival: entries of one ring run in ring order, as the device fetched them. */
        private final AtomicLong sequence = new AtomicLong();
        private final Thread worker;
        private volatile boolean running = true;

        Threaded(CommandRunner runner, Consumer<DeviceQueue> raise, LongSupplier nanoTime, long latencyNanos) {
            this.runner = runner;
            this.raise = raise;
            this.nanoTime = nanoTime;
            this.latencyNanos = latencyNanos;
            this.worker = new Thread(this::work, "ring-controller-" + IDS.incrementAndGet());
            worker.setDaemon(true);
            worker.start();
        }

        @Override
        public void submit(DeviceQueue queue, List<RingCommand> commands) {
            long at = nanoTime.getAsLong() + latencyNanos;
            for (RingCommand c : commands) {
                due.add(new Due(c, at, sequence.getAndIncrement()));
            }
        }

        @Override
        public void shutdown() {
            running = false;
            worker.interrupt();
            try {
                worker.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            due.clear();
        }

        private void work() {
            List<Due> batch = new ArrayList<>();
            Set<DeviceQueue> touched = new LinkedHashSet<>();
            while (running) {
                try {
                    batch.add(due.take());
                } catch (InterruptedException e) {
                    return;
                }
                due.drainTo(batch);
                for (Due d : batch) {
                    if (!d.command.isCancelled() && runner.run(d.command)) {
                        touched.add(d.command.queue);
                    }
                }
                batch.clear();
                touched.forEach(raise);
                touched.clear();
            }
        }

        /** A command and the platform time it becomes due. */
        private final class Due implements Delayed {
            final RingCommand command;
            final long dueNanos;
            final long order;

            Due(RingCommand command, long dueNanos, long order) {
                this.command = command;
                this.dueNanos = dueNanos;
                this.order = order;
            }

            @Override
            public long getDelay(TimeUnit unit) {
                return unit.convert(dueNanos - nanoTime.getAsLong(), TimeUnit.NANOSECONDS);
            }

            @Override
            public int compareTo(Delayed other) {
                Due o = (Due) other;
                return dueNanos != o.dueNanos ? Long.compare(dueNanos, o.dueNanos) : Long.compare(order, o.order);
            }
        }
    }
}
