package io.vhba.hw;

/**
 * Thrown by a {@link ScsiLogicalUnit} for a command it will never answer (fault injection: a
 * command lost inside the device). The controller keeps no record of it: it writes no
 * completion and raises no interrupt, so neither ABORT nor a LUN reset finds it; the driver
 * gets it back only from its own bus reset, which completes every request it still holds.
 * This is what drives a port's timeout escalation all the way to HwStorResetBus.
 */
public final class CommandLost extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public CommandLost(String reason) {
        super(reason, null, false, false);
    }
}
