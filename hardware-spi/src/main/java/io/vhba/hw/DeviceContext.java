package io.vhba.hw;

import java.util.List;

/** What the platform gives a device: its bus-master DMA, its interrupt signal and the units attached to it. */
public interface DeviceContext {

    Dma dma();

    InterruptSignal interrupts();

    /**
     * The SCSI bus behind this controller: the units wired to it, which the platform may plug in and pull out
     * while the device runs. A controller routes its commands through this one bus, so it sees such changes.
     */
    ScsiBus bus();

    /** The logical units wired to this controller now, by address. */
    default List<AttachedUnit> units() {
        return bus().attached();
    }

    /** Monotonic nanoseconds of the simulated platform clock. */
    long nanoTime();

    /**
     * The platform's threads and waits, for a model that works on a thread of its own (a threaded controller's
     * worker). Their clock is {@link #nanoTime()}. This default, for contexts without a platform, is real threads.
     */
    default PlatformThreads threads() {
        return PlatformThreads.SYSTEM;
    }

    /**
     * A posted write's effect: the device's work for a register write (a doorbell), run at zero simulated latency
     * but not inside the write. PCIe memory writes are posted: the processor's write returns at once and the device
     * works on its own, so the driver's StartIo leaves its lock while the device moves data. The platform runs
     * {@code work} on the writing processor as soon as that processor holds no spin lock (at once when it holds
     * none), before any interrupt the work raises is delivered; a thread that is no processor runs it at once.
     * This default, for contexts without processors, runs it at once.
     */
    default void post(Runnable work) {
        work.run();
    }
}
