package io.vhba.miniport;

import java.util.List;

/**
 * A miniport driver package: its {@code DriverEntry} and the hardware it binds to (the
 * part of an INF file that matters here). Implementations are found with
 * {@link java.util.ServiceLoader}.
 */
public interface MiniportDriver {

    /** The short name users pick it by, for example {@code serve --miniport mailbox}. */
    String name();

    /** One line for {@code --help} and logs. */
    String description();

    /**
     * A driver written to teach a mistake (the {@code racy} sample, for {@code vhba explore}): loadable by name, but
     * not offered as a choice in {@code serve --help} and not a default or a production sample.
     */
    default boolean teachingOnly() {
        return false;
    }

    /**
     * The PCI hardware IDs this driver binds to, spelled as in an INF file
     * ({@code PCI\VEN_1AF4&DEV_10C2}). Empty for a virtual miniport, which has no hardware.
     */
    List<String> hardwareIds();

    /**
     * {@code DriverEntry(DriverObject, RegistryPath)}: build the
     * {@link HwInitializationData} and return what {@link StorPort#initialize} returns.
     *
     * @param storPort the port driver's services; the miniport keeps it to call back
     */
    int driverEntry(StorPort storPort, DriverObject driverObject, String registryPath);
}
