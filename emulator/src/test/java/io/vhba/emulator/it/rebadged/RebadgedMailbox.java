package io.vhba.emulator.it.rebadged;

import io.vhba.miniport.DriverObject;
import io.vhba.miniport.MiniportDriver;
import io.vhba.miniport.StorPort;
import io.vhba.samples.mailbox.MailboxMiniport;
import java.util.List;

/**
 * The mailbox sample under another name and hardware ID, as a vendor would ship a physical miniport and
 * its controller model in one external jar ({@link RebadgedMailboxController} is the controller).
 */
public final class RebadgedMailbox implements MiniportDriver {
    public static final String HARDWARE_ID = "PCI\\VEN_5648&DEV_00EE";

    @Override
    public String name() {
        return "rebadged-mailbox";
    }

    @Override
    public String description() {
        return "the mailbox sample, bound to " + HARDWARE_ID;
    }

    @Override
    public List<String> hardwareIds() {
        return List.of(HARDWARE_ID);
    }

    @Override
    public int driverEntry(StorPort storPort, DriverObject driverObject, String registryPath) {
        return new MailboxMiniport().driverEntry(storPort, driverObject, registryPath);
    }
}
