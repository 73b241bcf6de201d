package io.vhba.samples.mailbox.hw;

import io.vhba.hw.ControllerOptions;
import io.vhba.hw.DeviceContext;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.DelayQueue;
import java.util.concurrent.Delayed;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/** Where latched commands run: {@link ControllerOptions.Mode} made executable. */
sealed interface CommandScheduler permits CommandScheduler.Inline, CommandScheduler.Threaded {

    /** Takes a command the doorbell latched. */
    void submit(SlotCommand command);

    /** Stops the worker, if any; commands not yet run are dropped (the device is going away). */
    void shutdown();

    static CommandScheduler create(ControllerOptions options, CommandProcessor processor, CompletionQueues queues,
                                   DeviceContext context) {
        LongSupplier nanoTime = context::nanoTime;
        return switch (options.mode()) {
            case INLINE -> new Inline(processor, queues, context);
            case THREADED -> new Threaded(processor, queues, nanoTime, TimeUnit.MICROSECONDS.toNanos(options.latencyMicros()));
        };
    }

    /**
     * The doorbell write is posted: the command runs on the writing processor once it has left its locks (the
     * driver's StartIo lock is not held across the data transfer), then raises its vector. No thread hand-off: the
     * fast path.
     */
    final class Inline implements CommandScheduler {
        private final CommandProcessor processor;
        private final CompletionQueues queues;
        private final DeviceContext context;

        Inline(CommandProcessor processor, CompletionQueues queues, DeviceContext context) {
            this.processor = processor;
            this.queues = queues;
            this.context = context;
        }

        @Override
        public void submit(SlotCommand command) {
            context.post(() -> {
                if (command.isCancelled()) {
                    return; // aborted or reset between the doorbell and the device's turn
                }
                int vector = processor.run(command);
                if (vector >= 0) {
                    queues.raise(vector);
                }
            });
        }

        @Override
        public void shutdown() {
            // no thread of its own
        }
    }

    /**
     * One worker thread runs each command once its latency has elapsed. Every command that is
     * due when the worker wakes runs in one batch, and each vector the batch posted to is
     * raised once at its end: completions coalesce under load, as on real controllers.
     */
    final class Threaded implements CommandScheduler {
        private static final AtomicInteger IDS = new AtomicInteger();

        private final CommandProcessor processor;
        private final CompletionQueues queues;
        private final LongSupplier nanoTime;
        private final long latencyNanos;
        private final DelayQueue<Due> due = new DelayQueue<>();
        private final Thread worker;
        private volatile boolean running = true;

        Threaded(CommandProcessor processor, CompletionQueues queues, LongSupplier nanoTime, long latencyNanos) {
            this.processor = processor;
            this.queues = queues;
            this.nanoTime = nanoTime;
            this.latencyNanos = latencyNanos;
            this.worker = new Thread(this::work, "mailbox-controller-" + IDS.incrementAndGet());
            worker.setDaemon(true);
            worker.start();
        }

        @Override
        public void submit(SlotCommand command) {
            due.add(new Due(command, nanoTime.getAsLong() + latencyNanos));
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
            while (running) {
                try {
                    batch.add(due.take());
                } catch (InterruptedException e) {
                    return;
                }
                due.drainTo(batch);
                int raise = 0;
                for (Due d : batch) {
                    if (!d.command.isCancelled()) {
                        int vector = processor.run(d.command);
                        if (vector >= 0) {
                            raise |= 1 << vector;
                        }
                    }
                }
                batch.clear();
                for (int v = 0; raise != 0; v++, raise >>>= 1) {
                    if ((raise & 1) != 0) {
                        queues.raise(v);
                    }
                }
            }
        }

        /** A command and the platform time it becomes due. */
        private final class Due implements Delayed {
            final SlotCommand command;
            final long dueNanos;

            Due(SlotCommand command, long dueNanos) {
                this.command = command;
                this.dueNanos = dueNanos;
            }

            @Override
            public long getDelay(TimeUnit unit) {
                return unit.convert(dueNanos - nanoTime.getAsLong(), TimeUnit.NANOSECONDS);
            }

            @Override
            public int compareTo(Delayed other) {
                return Long.compare(dueNanos, ((Due) other).dueNanos);
            }
        }
    }
}
