package io.vhba.emulator.kernel;

import io.vhba.hw.PlatformThreads;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;

/** The platform's threads when free-running: real threads and waits, times read on the kernel's clock. */
final class SystemClockThreads implements PlatformThreads {
    private final Clock clock;

    SystemClockThreads(Clock clock) {
        this.clock = clock;
    }

    @Override
    public long nanoTime() {
        return clock.nanoTime();
    }

    @Override
    public void start(String name, Runnable body) {
        PlatformThreads.SYSTEM.start(name, body);
    }

    @Override
    public void sleepNanos(long nanos) {
        PlatformThreads.SYSTEM.sleepNanos(nanos);
    }

    @Override
    public ScheduledExecutorService newWorker(String name) {
        return PlatformThreads.SYSTEM.newWorker(name);
    }

    @Override
    public <T> T join(CompletableFuture<T> future) {
        return future.join();
    }
}
