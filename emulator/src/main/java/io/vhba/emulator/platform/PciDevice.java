package io.vhba.emulator.platform;

import io.vhba.emulator.kernel.Kernel;
import io.vhba.hw.AttachedUnit;
import io.vhba.hw.DeviceContext;
import io.vhba.hw.DeviceModel;
import io.vhba.hw.Dma;
import io.vhba.hw.InterruptSignal;
import io.vhba.hw.RegisterFile;
import io.vhba.hw.ScsiBus;
import io.vhba.miniport.AccessRange;
import java.util.ArrayList;
import java.util.List;

/**
 * A controller plugged into a PCI slot of the simulated platform: its BARs have physical
 * windows on the {@link MmioBus}, it masters DMA through a {@link PlatformDma}, and signals
 * through {@link DeviceInterrupts}, and reaches its units on a {@link ScsiBus}. This is the
 * {@link DeviceContext} the device model sees.
 */
public final class PciDevice implements DeviceContext {
    private final DeviceModel model;
    private final String location;
    private final MmioBus bus;
    private final Kernel kernel;
    private final PlatformDma dma;
    private final DeviceInterrupts interrupts;
    private final ScsiBus scsiBus;
    private final List<AccessRange> accessRanges = new ArrayList<>();

    private PciDevice(DeviceModel model, String location, MmioBus bus, HostMemory memory, Kernel kernel,
                      List<AttachedUnit> units) {
        this.model = model;
        this.location = location;
        this.bus = bus;
        this.kernel = kernel;
        this.dma = new PlatformDma(memory);
        this.interrupts = new DeviceInterrupts(kernel);
        this.scsiBus = new ScsiBus(units);
    }

    /** Plugs {@code model} in: assigns its BARs and attaches it to this context. */
    public static PciDevice plug(DeviceModel model, String location, MmioBus bus, HostMemory memory, Kernel kernel,
                                 List<AttachedUnit> units) {
        PciDevice d = new PciDevice(model, location, bus, memory, kernel, units);
        for (RegisterFile bar : model.bars()) {
            long base = bus.assign(bar, location);
            d.accessRanges.add(new AccessRange(base, bar.size(), true));
        }
        model.attach(d);
        return d;
    }

    public void unplug() {
        interrupts.disconnect();
        model.detach();
        bus.unassign(location);
    }

    public DeviceModel model() {
        return model;
    }

    public String location() {
        return location;
    }

    /** The BAR windows, as the PnP manager reports them to FindAdapter. */
    public List<AccessRange> accessRanges() {
        return List.copyOf(accessRanges);
    }

    public PlatformDma platformDma() {
        return dma;
    }

    public DeviceInterrupts deviceInterrupts() {
        return interrupts;
    }

    @Override
    public Dma dma() {
        return dma;
    }

    @Override
    public InterruptSignal interrupts() {
        return interrupts;
    }

    /** The units behind the controller; the runtime plugs LUNs in and out of it while the device runs. */
    @Override
    public ScsiBus bus() {
        return scsiBus;
    }

    @Override
    public long nanoTime() {
        return kernel.nanoTime();
    }

    @Override
    public void post(Runnable work) {
        kernel.postDeviceWork(work);
    }
}
