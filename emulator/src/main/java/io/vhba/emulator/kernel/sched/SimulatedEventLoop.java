package io.vhba.emulator.kernel.sched;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelPromise;
import io.netty.channel.DefaultChannelPromise;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.AbstractScheduledEventExecutor;
import io.netty.util.concurrent.DefaultPromise;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ImmediateEventExecutor;
import io.netty.util.concurrent.Promise;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Netty event loop that is a simulated thread of the {@link DeterministicScheduler}: a processor in deterministic
 * mode, or a device model's worker. Its scheduled tasks run on virtual time ({@link #getCurrentTimeNanos()}), so
 * code that calls {@code executor().schedule(...)} or {@code execute(...)} works unchanged. Taking each task is a
 * scheduling point; with nothing to do the thread blocks until a task comes or its next timer is due. A channel (an
 * in-memory {@code SimChannel}) can be registered on it.
 *
 * <p>A task submitted from a thread that is not simulated is an input: it enters at a scheduling point, unrecorded
 * (inputs a replay must see go through the scheduler's recorded events instead).
 */
public final class SimulatedEventLoop extends AbstractScheduledEventExecutor implements EventLoop {
    private static final Logger LOG = LoggerFactory.getLogger(SimulatedEventLoop.class);
    private static final int RUNNING = 0;
    private static final int SHUTTING_DOWN = 1;
    private static final int TERMINATED = 2;

    private final DeterministicScheduler scheduler;
    private final String name;
    private final ArrayDeque<Runnable> tasks = new ArrayDeque<>();
    private final Promise<Void> termination = new DefaultPromise<>(ImmediateEventExecutor.INSTANCE);
    private volatile Thread thread;
    private volatile int state = RUNNING;

    public SimulatedEventLoop(DeterministicScheduler scheduler, String name) {
        this.scheduler = scheduler;
        this.name = name;
    }

    /** Starts the loop's simulated thread; {@code factory} makes the Java thread (a processor thread, for a processor). */
    public SimulatedEventLoop start(BiFunction<Runnable, String, Thread> factory) {
        thread = scheduler.spawn(name, this::loop, factory).thread();
        return this;
    }

    public String name() {
        return name;
    }

    @Override
    protected long getCurrentTimeNanos() {
        return scheduler.nanoTime();
    }

    private void loop() {
        try {
            for (;;) {
                Runnable t = takeTask();
                if (t == null) {
                    return;
                }
                try {
                    t.run();
                } catch (Throwable e) {
                    SchedulerTermination.rethrowIf(e);
                    LOG.warn("{}: a task failed", name, e);
                }
            }
        } finally {
            state = TERMINATED;
            cancelScheduledTasks();
            tasks.clear();
            termination.trySuccess(null);
        }
    }

    /** The next task, after a scheduling point; null once shut down with nothing left. */
    private Runnable takeTask() {
        for (;;) {
            if (hasWork()) {
                scheduler.point();
                Runnable t = poll();
                if (t != null) {
                    return t;
                }
                continue;
            }
            if (state != RUNNING) {
                return null;
            }
            scheduler.block(() -> hasWork() || state != RUNNING, this::nextDeadline);
            Runnable t = poll();
            if (t != null) {
                return t;
            }
        }
    }

    private boolean hasWork() {
        if (!tasks.isEmpty()) {
            return true;
        }
        long d = nextScheduledTaskDeadlineNanos();
        return d != -1 && d <= scheduler.nanoTime();
    }

    private long nextDeadline() {
        long d = nextScheduledTaskDeadlineNanos();
        return d == -1 || state != RUNNING ? Long.MAX_VALUE : d;
    }

    private Runnable poll() {
        long now = scheduler.nanoTime();
        for (Runnable due = pollScheduledTask(now); due != null; due = pollScheduledTask(now)) {
            tasks.add(due);
        }
        return tasks.poll();
    }

    @Override
    public void execute(Runnable task) {
        if (task == null) {
            throw new NullPointerException("task");
        }
        if (scheduler.isSimulatedThread()) {
            enqueue(task);
        } else {
            scheduler.offerUnrecorded(name + ": task from " + Thread.currentThread().getName(), () -> enqueue(task));
        }
    }

    private void enqueue(Runnable task) {
        if (state == TERMINATED) {
            LOG.debug("{}: task after termination dropped: {}", name, task);
            return;
        }
        tasks.add(task);
    }

    @Override
    public boolean inEventLoop(Thread t) {
        return t == thread;
    }

    /** The loop's Java thread (null before {@link #start}). */
    public Thread thread() {
        return thread;
    }

    // ---- EventLoop ------------------------------------------------------------------------------

    @Override
    public EventLoopGroup parent() {
        return null;
    }

    @Override
    public EventLoop next() {
        return this;
    }

    @Override
    public ChannelFuture register(Channel channel) {
        return register(new DefaultChannelPromise(channel, this));
    }

    @Override
    public ChannelFuture register(ChannelPromise promise) {
        promise.channel().unsafe().register(this, promise);
        return promise;
    }

    @Deprecated
    @Override
    public ChannelFuture register(Channel channel, ChannelPromise promise) {
        channel.unsafe().register(this, promise);
        return promise;
    }

    // ---- lifecycle ------------------------------------------------------------------------------

    @Override
    public Future<?> shutdownGracefully(long quietPeriod, long timeout, TimeUnit unit) {
        if (scheduler.isSimulatedThread() || thread == null) {
            beginShutdown();
        } else {
            scheduler.offerUnrecorded(name + ": shutdown", this::beginShutdown);
        }
        return termination;
    }

    private void beginShutdown() {
        if (state == RUNNING) {
            state = SHUTTING_DOWN;
        }
        if (thread == null) {
            state = TERMINATED;
            termination.trySuccess(null);
        }
    }

    @Override
    public Future<?> terminationFuture() {
        return termination;
    }

    @Deprecated
    @Override
    public void shutdown() {
        shutdownGracefully();
    }

    @Override
    public boolean isShuttingDown() {
        return state != RUNNING;
    }

    @Override
    public boolean isShutdown() {
        return state != RUNNING;
    }

    @Override
    public boolean isTerminated() {
        return state == TERMINATED;
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        if (scheduler.isSimulatedThread()) {
            scheduler.block(this::isTerminated, null);
            return true;
        }
        return termination.await(timeout, unit);
    }

    @Override
    public String toString() {
        return name;
    }
}
