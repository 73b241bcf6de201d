package io.vhba.samples.halfduplex;

import io.vhba.miniport.DriverObject;
import io.vhba.miniport.HwInitializationData;
import io.vhba.miniport.InterfaceType;
import io.vhba.miniport.MiniportDriver;
import io.vhba.miniport.StorPort;
import io.vhba.samples.halfduplex.hw.HalfDuplexController;
import java.util.List;

/**
 * Sample miniport #2, "halfduplex": a physical miniport for the half-duplex HBA
 * ({@code PCI\VEN_5648&DEV_0002}): StorSynchronizeHalfDuplex, one level-triggered INTx line,
 * a read-to-clear interrupt status, completion from the ISR. See README.md next to this file.
 */
public final class HalfDuplexMiniport implements MiniportDriver {
    public static final String HARDWARE_ID = HalfDuplexController.HARDWARE_ID;

    @Override
    public String name() {
        return "halfduplex";
    }

    @Override
    public String description() {
        return "Sample physical miniport for the half-duplex HBA: INTx line, read-to-clear status, StartIo under the interrupt lock";
    }

    @Override
    public List<String> hardwareIds() {
        return List.of(HARDWARE_ID);
    }

    /**
     * DriverEntry: PASSIVE_LEVEL. HwInterrupt is the line ISR; there is no MSI routine. The
     * four mandatory routines (FindAdapter, Initialize, StartIo, ResetBus) are set.
     */
    @Override
    public int driverEntry(StorPort storPort, DriverObject driverObject, String registryPath) {
        HalfDuplexIo io = new HalfDuplexIo(storPort);
        HalfDuplexAdapter adapter = new HalfDuplexAdapter(storPort, io);
        HwInitializationData<HalfDuplexExtension> data = HwInitializationData
                .<HalfDuplexExtension>builder(InterfaceType.PCI_BUS, HalfDuplexExtension::new)
                .numberOfAccessRanges(1)
                .srbExtensionSize(HalfDuplexIo.SrbExtension.SIZE)
                .taggedQueuing(true)
                .autoRequestSense(true)
                .multipleRequestPerLu(true)
                .needPhysicalAddresses(true)
                .hwFindAdapter(adapter::findAdapter)
                .hwInitialize(adapter::initialize)
                .hwBuildIo(io::buildIo)
                .hwStartIo(io::startIo)
                .hwInterrupt(io::interrupt)
                .hwResetBus(adapter::resetBus)
                .build();
        return storPort.initialize(driverObject, registryPath, data, null);
    }
}
