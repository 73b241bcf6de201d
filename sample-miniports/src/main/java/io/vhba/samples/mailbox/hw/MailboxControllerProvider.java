package io.vhba.samples.mailbox.hw;

import io.vhba.hw.ControllerOptions;
import io.vhba.hw.DeviceModel;
import io.vhba.hw.DeviceModelProvider;

/** Makes {@link MailboxController}s for the platform ({@code META-INF/services/io.vhba.hw.DeviceModelProvider}). */
public final class MailboxControllerProvider implements DeviceModelProvider {

    @Override
    public String hardwareId() {
        return MailboxController.HARDWARE_ID;
    }

    @Override
    public DeviceModel create(ControllerOptions options) {
        return new MailboxController(options);
    }
}
