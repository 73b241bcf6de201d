package io.vhba.samples.virtual;

import io.vhba.miniport.DriverObject;
import io.vhba.miniport.HwInitializationData;
import io.vhba.miniport.MiniportDriver;
import io.vhba.miniport.StorPort;
import java.util.List;

/**
 * Sample miniport #3, "virtual": a Storport virtual miniport ({@code VIRTUAL_HW_INITIALIZATION_DATA}):
 * no PCI device, no interrupt, requests completed by its own DPC. See README.md next to this file.
 */
public final class VirtualMiniport implements MiniportDriver {

    @Override
    public String name() {
        return "virtual";
    }

    @Override
    public String description() {
        return "Sample virtual miniport: no hardware, no interrupt; StartIo queues, its own DPC runs the backing and completes";
    }

    /** None: a virtual miniport binds to no hardware. */
    @Override
    public List<String> hardwareIds() {
        return List.of();
    }

    /**
     * DriverEntry: PASSIVE_LEVEL. The virtual table: no access ranges, no HwInterrupt, and
     * no physical addresses asked for (there is no DMA).
     */
    @Override
    public int driverEntry(StorPort storPort, DriverObject driverObject, String registryPath) {
        VirtualIo io = new VirtualIo(storPort);
        VirtualLifecycle lifecycle = new VirtualLifecycle(storPort, io);
        HwInitializationData<VirtualExtension> data = HwInitializationData
                .<VirtualExtension>virtualBuilder(VirtualExtension::new)
                .taggedQueuing(true)
                .autoRequestSense(true)
                .multipleRequestPerLu(true)
                .needPhysicalAddresses(false)
                .hwFindAdapter(lifecycle::findAdapter)
                .hwInitialize(lifecycle::initialize)
                .hwStartIo(io::startIo)
                .hwResetBus(lifecycle::resetBus)
                .build();
        return storPort.initialize(driverObject, registryPath, data, null);
    }
}
