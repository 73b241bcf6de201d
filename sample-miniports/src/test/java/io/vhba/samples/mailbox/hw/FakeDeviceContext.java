package io.vhba.samples.mailbox.hw;

import io.vhba.hw.AttachedUnit;
import io.vhba.hw.DeviceContext;
import io.vhba.hw.Dma;
import io.vhba.hw.InterruptSignal;
import io.vhba.hw.ScsiBus;
import java.util.List;

/** The platform side a controller sees in tests. */
public record FakeDeviceContext(Dma dma, InterruptSignal interrupts, ScsiBus bus) implements DeviceContext {

    public FakeDeviceContext(Dma dma, InterruptSignal interrupts, List<AttachedUnit> units) {
        this(dma, interrupts, new ScsiBus(units));
    }

    @Override
    public long nanoTime() {
        return System.nanoTime();
    }
}
