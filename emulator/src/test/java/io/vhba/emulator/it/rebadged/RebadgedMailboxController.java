package io.vhba.emulator.it.rebadged;

import io.vhba.hw.ControllerOptions;
import io.vhba.hw.DeviceModel;
import io.vhba.hw.DeviceModelProvider;
import io.vhba.samples.mailbox.hw.MailboxControllerProvider;

/** The mailbox controller, answering to {@link RebadgedMailbox#HARDWARE_ID}. */
public final class RebadgedMailboxController implements DeviceModelProvider {
    @Override
    public String hardwareId() {
        return RebadgedMailbox.HARDWARE_ID;
    }

    @Override
    public DeviceModel create(ControllerOptions options) {
        return new MailboxControllerProvider().create(options);
    }
}
