package com.example.miniport;

import io.vhba.miniport.DriverObject;
import io.vhba.miniport.HwInitializationData;
import io.vhba.miniport.MiniportDriver;
import io.vhba.miniport.StorPort;
import java.util.List;

/** The driver package: its name, the hardware it binds to (none: it is virtual), and its DriverEntry. */
public final class ExampleMiniport implements MiniportDriver {

    @Override
    public String name() {
        return "example";
    }

    @Override
    public String description() {
        return "The tutorial's virtual miniport: StartIo queues, a DPC runs each request on its disk";
    }

    @Override
    public List<String> hardwareIds() {
        return List.of();
    }

    /** DriverEntry: hand Storport the routine table. Each adapter gets its own ExampleAdapter as device extension. */
    @Override
    public int driverEntry(StorPort storPort, DriverObject driverObject, String registryPath) {
        HwInitializationData<ExampleAdapter> table = HwInitializationData
                .<ExampleAdapter>virtualBuilder(() -> new ExampleAdapter(storPort))
                .needPhysicalAddresses(false)
                .hwFindAdapter(ExampleAdapter::findAdapter)
                .hwInitialize(ExampleAdapter::initialize)
                .hwStartIo(ExampleAdapter::startIo)
                .hwResetBus(ExampleAdapter::resetBus)
                .build();
        return storPort.initialize(driverObject, registryPath, table, null);
    }
}
