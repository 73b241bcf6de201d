package io.vhba.samples.mailbox.hw;

import io.vhba.hw.ControllerOptions;
import io.vhba.hw.DeviceContext;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/** Where latched commands run: {@link ControllerOptions.Mode} made executable. */
sealed interface CommandScheduler permits CommandScheduler.Inline, CommandScheduler.Threaded {

    /** Takes a command the doorbell latched. */
    void submit(SlotCommand command);

    /** Stops the worker, if any; commands not yet run are dropped (the device is going away). */
    void shutdown();

    static CommandScheduler create(ControllerOptions options, CommandProcessor processor, CompletionQueues queues,
                                   DeviceContext context) {
        return switch (options.mode()) {
            case INLINE -> new Inline(processor, queues, context);
            case THREADED -> new Threaded(processor, queues, context, TimeUnit.MICROSECONDS.toNanos(options.latencyMicros()));
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
     * One worker thread of the platform runs each command once its latency has elapsed. Every command that is due
     * when the worker wakes runs in one batch, and each vector the batch posted to is raised once at its end:
     * completions coalesce under load, as on real controllers. The worker and its clock are the platform's
     * ({@link DeviceContext#threads()}), so in the emulator's deterministic mode the latency is virtual time.
     */
    final class Threaded implements CommandScheduler {
        private final CommandProcessor processor;
        private final CompletionQueues queues;
        private final LongSupplier nanoTime;
        private final long latencyNanos;
        /** Latched commands in submission order; with one latency for all, that is also the order they fall due. */
        private final ArrayDeque<Due> due = new ArrayDeque<>();
        private final ScheduledExecutorService worker;

        Threaded(CommandProcessor processor, CompletionQueues queues, DeviceContext context, long latencyNanos) {
            this.processor = processor;
            this.queues = queues;
            this.nanoTime = context::nanoTime;
            this.latencyNanos = latencyNanos;
            this.worker = context.threads().newWorker("mailbox-controller");
        }

        @Override
        public void submit(SlotCommand command) {
            synchronized (due) {
                due.add(new Due(command, nanoTime.getAsLong() + latencyNanos));
            }
            try {
                worker.schedule(this::runDue, latencyNanos, TimeUnit.NANOSECONDS);
            } catch (java.util.concurrent.RejectedExecutionException stopped) {
                // the device is going away; the command is dropped with it
            }
        }

        @Override
        public void shutdown() {
            worker.shutdownNow();
            try {
                worker.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            synchronized (due) {
                due.clear();
            }
        }

        /** Runs every command that is due now, then raises each vector the batch posted to once. */
        private void runDue() {
            List<Due> batch = new ArrayList<>();
            long now = nanoTime.getAsLong();
            synchronized (due) {
                while (!due.isEmpty() && due.peekFirst().dueNanos <= now) {
                    batch.add(due.pollFirst());
                }
            }
            int raise = 0;
            for (Due d : batch) {
                if (!d.command.isCancelled()) {
                    int vector = processor.run(d.command);
                    if (vector >= 0) {
                        raise |= 1 << vector;
                    }
                }
            }
            for (int v = 0; raise != 0; v++, raise >>>= 1) {
                if ((raise & 1) != 0) {
                    queues.raise(v);
                }
            }
        }

        /** A command and the platform time it becomes due. */
        private record Due(SlotCommand command, long dueNanos) {}
    }
}
