package io.vhba.hw;

/**
 * How a device interrupts the host. An MSI-X message is an edge: each {@link #signal} is one
 * message (the platform may coalesce messages that arrive before the ISR runs, as an
 * interrupt controller does). A line interrupt is a level: asserted until the device
 * deasserts it, typically when the ISR acknowledges.
 */
public interface InterruptSignal {

    /** Sends MSI-X message {@code messageId} (0-based). */
    void signal(int messageId);

    /** Asserts the INTx line. */
    void assertLine();

    /** Deasserts the INTx line. */
    void deassertLine();
}
