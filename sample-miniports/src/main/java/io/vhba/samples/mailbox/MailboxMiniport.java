package io.vhba.samples.mailbox;

import io.vhba.miniport.DriverObject;
import io.vhba.miniport.HwInitializationData;
import io.vhba.miniport.InterfaceType;
import io.vhba.miniport.MiniportDriver;
import io.vhba.miniport.StorPort;
import java.util.List;

/**
 * Sample miniport #1, "mailbox": a physical Storport miniport for the mailbox/slot HBA
 * ({@code PCI\VEN_5648&DEV_0001}). Full duplex, MSI-X with one lock, one
 * completion queue and one DPC per message. See README.md next to this file.
 */
public final class MailboxMiniport implements MiniportDriver {
    /** The hardware ID this driver binds to, as its INF would list it. */
    public static final String HARDWARE_ID = "PCI\\VEN_5648&DEV_0001";

    @Override
    public String name() {
        return "mailbox";
    }

    @Override
    public String description() {
        return "Sample physical miniport for the mailbox/slot HBA: MSI-X per-message queues, DPC completion, full duplex";
    }

    @Override
    public List<String> hardwareIds() {
        return List.of(HARDWARE_ID);
    }

    /**
     * DriverEntry: PASSIVE_LEVEL. Fills HW_INITIALIZATION_DATA and hands it to
     * StorPortInitialize, whose status is the driver's. FindAdapter, Initialize, StartIo and
     * ResetBus are mandatory; HwInterrupt is left null because the ISR is the MSI-X routine
     * that FindAdapter sets in the port configuration.
     */
    @Override
    public int driverEntry(StorPort storPort, DriverObject driverObject, String registryPath) {
        MailboxIo io = new MailboxIo(storPort);
        MailboxLifecycle lifecycle = new MailboxLifecycle(storPort, io);
        HwInitializationData<MailboxExtension> data = HwInitializationData
                .<MailboxExtension>builder(InterfaceType.PCI_BUS, MailboxExtension::new)
                .numberOfAccessRanges(1)
                .srbExtensionSize(MailboxIo.SrbExtension.SIZE)
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
