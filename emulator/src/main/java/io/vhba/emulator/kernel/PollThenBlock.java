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
 *
 * <p>It polls only while polling pays: when the last blocking wait ended within {@link #WORTH_FACTOR} poll times, the
 * initiator answers quickly (a queue-depth-1 ping-pong) and the next poll is likely to catch its command. A long wait
 * (an idle target, or CPUs so busy that the initiator itself waits for one) turns polling off until a short wait
 * shows it would pay again. And a poll that ends empty-handed means the initiator did not get to send in time, most
 * likely because the poll itself held the core it needed: the next {@link #SKIPS_AFTER_MISS} waits block at once.
 * So a polling processor does not keep an oversubscribed machine's CPU from the initiator for long.
 */
final class PollThenBlock implements SelectStrategy {
    /** The default poll time; {@code -Dvhba.pollMicros=0} turns polling off. */
    static final long DEFAULT_POLL_MICROS = 50;

    /** Polling pays when the last blocking wait lasted less than this many poll times. */
    static final int WORTH_FACTOR = 4;

    private final long pollNanos;
    private SingleThreadEventExecutor loop;
    /** When the loop last went to block, or 0 when it has not blocked since the last decision. */
    private long blockedAt;
    private boolean pollPays = true;
    /** Waits left that block without polling after a poll found nothing. */
    private int skips;

    /** Waits that block at once after a poll that found nothing. */
    static final int SKIPS_AFTER_MISS = 32;

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
        long now = System.nanoTime();
        if (blockedAt != 0) {
            pollPays = now - blockedAt < WORTH_FACTOR * pollNanos;
            blockedAt = 0;
        }
        if (skips > 0) {
            skips--;
        } else if (pollPays) {
            SingleThreadEventExecutor self = loop();
            long end = System.nanoTime() + pollNanos; // after loop(): its first call initialises Netty's thread locals
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
            skips = SKIPS_AFTER_MISS;
        }
        blockedAt = System.nanoTime();
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
