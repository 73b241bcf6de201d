package io.vhba.emulator.fault;

/** A fault specification that cannot be used; the message is one line naming the problem. */
public final class FaultSpecException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public FaultSpecException(String message) {
        super(message);
    }
}
