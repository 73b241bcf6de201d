package io.vhba.emulator.kernel.sched;

import io.vhba.hw.PlatformThreads;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The platform's threads in deterministic mode: every thread a device model, the disk or the engine starts is a
 * simulated thread, every worker a {@link SimulatedEventLoop}, every wait a scheduler wait over virtual time. A
 * caller that is not simulated (a test thread) falls back to real waits.
 */
public final class SimulatedThreads implements PlatformThreads {
    private final DeterministicScheduler scheduler;

    public SimulatedThreads(DeterministicScheduler scheduler) {
        this.scheduler = scheduler;
    }

    @Override
    public long nanoTime() {
        return scheduler.nanoTime();
    }

    @Override
    public void start(String name, Runnable body) {
        scheduler.spawn(name, body);
    }

    @Override
    public void sleepNanos(long nanos) {
        if (scheduler.isSimulatedThread()) {
            scheduler.sleepNanos(nanos);
        } else {
            PlatformThreads.SYSTEM.sleepNanos(nanos);
        }
    }

    @Override
    public ScheduledExecutorService newWorker(String name) {
        return new SimulatedEventLoop(scheduler, name).start(Thread::new);
    }

    @Override
    public <T> T join(CompletableFuture<T> future) {
        if (scheduler.isSimulatedThread()) {
            scheduler.block(future::isDone, null);
        }
        return future.join();
    }
}
