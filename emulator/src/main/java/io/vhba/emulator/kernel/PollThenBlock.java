package io.vhba.emulator.kernel;

import io.netty.channel.SelectStrategy;
import io.netty.channel.SelectStrategyFactory;
import io.netty.util.IntSupplier;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.SingleThreadEventExecutor;
import io.netty.util.internal.ThreadExecutorMap;

/**
 * How a processor's event loop waits for the network: it polls (epoll_wait with no timeout) for a short while before
 * it blocks. At queue depth 1 the next command arrives a few tens of microseconds after the answer went out; a
 * processor that blocked at once would then be woken by the kernel's scheduler, a cost of the same order as the whole
 * command. Polling stops at the first event, at the first task queued for the loop (a DPC or completion handed over
 * from another processor: while the loop polls, nobody signals its eventfd), or after {@code pollNanos}, so an idle
 * target costs one short poll per wakeup and a busy one never polls at all (it always has events).
 */
final class PollThenBlock implements SelectStrategy {
    /** The default poll time; {@code -Dvhba.pollMicros=0} turns polling off. */
    static final long DEFAULT_POLL_MICROS = 50;

    private final long pollNanos;
    private SingleThreadEventExecutor loop;

    PollThenBlock(long pollNanos) {
        this.pollNanos = pollNanos;
    }

    static SelectStrategyFactory factory() {
        long micros = Long.getLong("vhba.pollMicros", DEFAULT_POLL_MICROS);
        long nanos = Math.max(0, micros) * 1000L;
        return () -> new PollThenBlock(nanos);
    }

    @Override
    public int calculateStrategy(IntSupplier selectNow, boolean hasTasks) throws Exception {
        if (hasTasks) {
            return selectNow.get(); // Netty's default: never block with work queued
        }
        if (pollNanos == 0) {
            return SelectStrategy.SELECT;
        }
        SingleThreadEventExecutor self = loop();
        long end = System.nanoTime() + pollNanos;
        do {
            int ready = selectNow.get();
            if (ready > 0) {
                return ready;
            }
            if (self != null && self.pendingTasks() > 0) {
                return SelectStrategy.CONTINUE;
            }
            Thread.onSpinWait();
        } while (System.nanoTime() < end);
        return SelectStrategy.SELECT;
    }

    private SingleThreadEventExecutor loop() {
        if (loop == null) {
            EventExecutor e = ThreadExecutorMap.currentExecutor();
            loop = e instanceof SingleThreadEventExecutor s ? s : null;
        }
        return loop;
    }
}
