package io.vhba.samples.halfduplex.hw;

import io.vhba.hw.ControllerOptions;
import io.vhba.hw.DeviceModel;
import io.vhba.hw.DeviceModelProvider;

/** Makes {@link HalfDuplexController}s for the platform ({@code META-INF/services/io.vhba.hw.DeviceModelProvider}). */
public final class HalfDuplexControllerProvider implements DeviceModelProvider {

    @Override
    public String hardwareId() {
        return HalfDuplexController.HARDWARE_ID;
    }

    @Override
    public DeviceModel create(ControllerOptions options) {
        return new HalfDuplexController(options);
    }
}
