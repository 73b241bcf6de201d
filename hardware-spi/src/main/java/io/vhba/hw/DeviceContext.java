package io.vhba.hw;

import java.util.List;

/** What the platform gives a device: its bus-master DMA, its interrupt signal and the units attached to it. */
public interface DeviceContext {

    Dma dma();

    InterruptSignal interrupts();

    /** The logical units wired to this controller, by LUN. */
    List<AttachedUnit> units();

    /** Monotonic nanoseconds of the simulated platform clock. */
    long nanoTime();
}
