package io.vhba.emulator.runtime.baddrivers;

import io.vhba.miniport.DriverObject;
import io.vhba.miniport.MiniportDriver;
import io.vhba.miniport.NtStatus;
import io.vhba.miniport.StorPort;
import java.util.List;

/** Base of the drivers that {@code DriversTest} ships in jars to be refused: each breaks loading in one way. */
abstract class BadDriver implements MiniportDriver {
    @Override
    public String name() {
        return getClass().getSimpleName();
    }

    @Override
    public String description() {
        return "a driver the loader must refuse";
    }

    @Override
    public List<String> hardwareIds() {
        return List.of();
    }

    @Override
    public int driverEntry(StorPort storPort, DriverObject driverObject, String registryPath) {
        return NtStatus.STATUS_NOT_SUPPORTED;
    }
}
