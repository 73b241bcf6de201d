package io.vhba.hw;

/**
 * A factory for one kind of controller, found with {@link java.util.ServiceLoader}
 * ({@code META-INF/services/io.vhba.hw.DeviceModelProvider}). The platform picks the
 * provider whose {@link #hardwareId()} matches the hardware it is told to build, then binds
 * the miniport whose hardware IDs list the same ID.
 */
public interface DeviceModelProvider {

    /** The PCI hardware ID of the controllers it makes, spelled as in an INF file ({@code PCI\VEN_xxxx&DEV_xxxx}). */
    String hardwareId();

    /** A new, unattached controller. */
    DeviceModel create(ControllerOptions options);
}
