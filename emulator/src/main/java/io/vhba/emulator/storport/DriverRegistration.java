package io.vhba.emulator.storport;

import io.vhba.miniport.DriverObject;
import io.vhba.miniport.HwInitializationData;
import io.vhba.miniport.MiniportDriver;

/** What {@code StorPortInitialize} accepted: the driver and its routine table. */
record DriverRegistration(MiniportDriver driver, DriverObject driverObject, HwInitializationData<?> data,
                          Object hwContext) {}
