package io.vhba.emulator.runtime;

/**
 * A change to the running emulator (LUN added or removed, resize, adapter restart) that cannot be made, and why,
 * so a management client can tell a missing object from a conflict or a busy adapter. Bad input (a malformed size,
 * an unknown key) is a {@link io.vhba.emulator.config.ConfigException} instead.
 */
public final class Reconfiguration extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Why the change was not made. */
    public enum Reason {
        /** The target, LUN or adapter named does not exist. */
        NOT_FOUND,
        /** It contradicts the current state: the LUN exists already, or it is the target's last. */
        CONFLICT,
        /** The adapter is not running, or the change did not finish in its bounded time; nothing was lost. */
        UNAVAILABLE
    }

    private final Reason reason;

    public Reconfiguration(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
