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
}
