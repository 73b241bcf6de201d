package io.vhba.hw;

import java.util.List;
import java.util.Map;

/**
 * A simulated PCI controller. The platform enumerates it, assigns its BARs physical
 * addresses, connects its interrupts, and binds the miniport whose hardware IDs match.
 */
public interface DeviceModel {

    /** The PCI hardware ID, spelled as in an INF file ({@code PCI\VEN_xxxx&DEV_xxxx}). */
    String hardwareId();

    /** The register files behind BAR 0, 1, ... (memory-mapped). */
    List<RegisterFile> bars();

    /** The number of MSI-X messages; 0 for a device that only has an INTx line. */
    int msixMessageCount();

    /**
     * Connects the device to the platform. Called once, before the driver's FindAdapter.
     * The context stays valid until {@link #detach()}.
     */
    void attach(DeviceContext context);

    /**
     * A snapshot of the device's own counters (doorbells rung, commands run, DMA bytes,
     * interrupts signalled, ...), for metrics and for tests that prove I/O went through it.
     */
    Map<String, Long> statistics();

    /** Stops the device's threads, if any. */
    void detach();
}
