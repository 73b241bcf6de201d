package io.vhba.samples.ring;

import io.vhba.miniport.DriverObject;
import io.vhba.miniport.HwInitializationData;
import io.vhba.miniport.InterfaceType;
import io.vhba.miniport.MiniportDriver;
import io.vhba.miniport.StorPort;
import java.util.List;

/**
 * Sample miniport #4, "ring": a physical Storport miniport for the multi-queue ring controller
 * ({@code PCI\VEN_5648&DEV_0003}). One submission/completion ring pair and one MSI-X message per
 * processor, StorPortInitializePerfOpts with DPC redirection and concurrent channels, StartIo
 * without the StartIo lock, completions harvested in batches by phase tag. See README.md next to
 * this file.
 */
public final class RingMiniport implements MiniportDriver {
    /** The hardware ID this driver binds to, as its INF would list it. */
    public static final String HARDWARE_ID = "PCI\\VEN_5648&DEV_0003";

    @Override
    public String name() {
        return "ring";
    }

    @Override
    public String description() {
        return "Sample physical miniport for the multi-queue ring HBA: a ring pair and an MSI-X message per processor,"
                + " DPC redirection, concurrent channels";
    }

    @Override
    public List<String> hardwareIds() {
        return List.of(HARDWARE_ID);
    }

    /**
     * DriverEntry: PASSIVE_LEVEL. Fills HW_INITIALIZATION_DATA and hands it to StorPortInitialize,
     * whose status is the driver's. HwInterrupt stays null: the ISR is the MSI-X routine FindAdapter
     * sets in the port configuration.
     */
    @Override
    public int driverEntry(StorPort storPort, DriverObject driverObject, String registryPath) {
        RingIo io = new RingIo(storPort);
        RingLifecycle lifecycle = new RingLifecycle(storPort, io);
        HwInitializationData<RingExtension> data = HwInitializationData
                .<RingExtension>builder(InterfaceType.PCI_BUS, RingExtension::new)
                .numberOfAccessRanges(1)
                .srbExtensionSize(RingIo.SrbExtension.SIZE)
                .taggedQueuing(true)
                .autoRequestSense(true)
                .multipleRequestPerLu(true)
                .needPhysicalAddresses(true)
                .hwFindAdapter(lifecycle::findAdapter)
                .hwInitialize(lifecycle::initialize)
                .hwBuildIo(io::buildIo)
                .hwStartIo(io::startIo)
                .hwResetBus(lifecycle::resetBus)
                .hwAdapterControl(lifecycle::adapterControl)
                .build();
        return storPort.initialize(driverObject, registryPath, data, null);
    }
}
