package io.vhba.miniport;

/**
 * Base of the small structures a miniport allocates and the port fills in
 * ({@code STOR_DPC}, {@code STOR_LOCK_HANDLE}): in C their fields are opaque to the
 * miniport, and here too. Only the port binds and reads the slot.
 */
public abstract class PortReserved {
    private volatile Object portContext;

    /** For the port driver only. */
    public final Object portContext() {
        return portContext;
    }

    /** For the port driver only. */
    public final void bindPortContext(Object context) {
        portContext = context;
    }
}
