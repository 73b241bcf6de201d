package io.vhba.emulator.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.SelectStrategy;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The event loop polls briefly before it blocks, and never while work is queued for it. */
class PollThenBlockTest {

    @Test
    void anEventDuringThePollIsTakenWithoutBlocking() throws Exception {
        AtomicInteger polls = new AtomicInteger();
        int strategy = new PollThenBlock(TimeUnit.SECONDS.toNanos(5)).calculateStrategy(() -> polls.incrementAndGet() == 3 ? 2 : 0, false);
        assertThat(strategy).isEqualTo(2);
        assertThat(polls).hasValue(3);
    }

    @Test
    void nothingWithinThePollTimeMeansBlock() throws Exception {
        AtomicInteger polls = new AtomicInteger();
        long start = System.nanoTime();
        int strategy = new PollThenBlock(TimeUnit.MICROSECONDS.toNanos(200)).calculateStrategy(() -> {
            polls.incrementAndGet();
            return 0;
        }, false);
        assertThat(strategy).isEqualTo(SelectStrategy.SELECT);
        assertThat(polls.get()).isGreaterThanOrEqualTo(1);
        assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(TimeUnit.MICROSECONDS.toNanos(200));
    }

    @Test
    void aMissOrALongWaitTurnsPollingOffUntilAShortWaitTurnsItBackOn() throws Exception {
        PollThenBlock s = new PollThenBlock(TimeUnit.MILLISECONDS.toNanos(50));
        AtomicInteger polls = new AtomicInteger();
        io.netty.util.IntSupplier none = () -> {
            polls.incrementAndGet();
            return 0;
        };
        assertThat(s.calculateStrategy(() -> polls.incrementAndGet() >= 2 ? 1 : 0, false)).isEqualTo(1); // found
        assertThat(s.calculateStrategy(none, false)).isEqualTo(SelectStrategy.SELECT); // polled in vain, then blocks
        int afterFirst = polls.get();
        assertThat(afterFirst).isGreaterThan(2);
        for (int i = 0; i < PollThenBlock.SKIPS_AFTER_MISS; i++) { // a miss: the next waits block at once
            assertThat(s.calculateStrategy(none, false)).isEqualTo(SelectStrategy.SELECT);
        }
        assertThat(polls.get()).isEqualTo(afterFirst);
        Thread.sleep(500); // a long wait: 10 poll times
        assertThat(s.calculateStrategy(none, false)).isEqualTo(SelectStrategy.SELECT);
        assertThat(polls.get()).isEqualTo(afterFirst); // no poll
        // woken again at once (a short wait): polling pays again
        assertThat(s.calculateStrategy(() -> polls.incrementAndGet() > 0 ? 1 : 0, false)).isEqualTo(1);
    }

    @Test
    void queuedTasksAndAZeroPollTimeNeverPoll() throws Exception {
        AtomicInteger polls = new AtomicInteger();
        assertThat(new PollThenBlock(TimeUnit.SECONDS.toNanos(5)).calculateStrategy(() -> {
            polls.incrementAndGet();
            return 0;
        }, true)).isZero(); // Netty's default with tasks: one non-blocking select
        assertThat(polls).hasValue(1);
        assertThat(new PollThenBlock(0).calculateStrategy(() -> {
            polls.incrementAndGet();
            return 1;
        }, false)).isEqualTo(SelectStrategy.SELECT);
        assertThat(polls).hasValue(1);
    }
}
