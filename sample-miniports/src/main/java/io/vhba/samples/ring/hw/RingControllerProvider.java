package io.vhba.samples.ring.hw;

import io.vhba.hw.ControllerOptions;
import io.vhba.hw.DeviceModel;
import io.vhba.hw.DeviceModelProvider;

/** Makes {@link RingController}s for the platform ({@code META-INF/services/io.vhba.hw.DeviceModelProvider}). */
public final class RingControllerProvider implements DeviceModelProvider {

    @Override
    public String hardwareId() {
        return RingController.HARDWARE_ID;
    }

    @Override
    public DeviceModel create(ControllerOptions options) {
        return new RingController(options);
    }
}
