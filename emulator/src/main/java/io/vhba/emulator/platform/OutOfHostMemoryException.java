package io.vhba.emulator.platform;

/** Host memory is exhausted; the caller answers the initiator with TASK SET FULL and retries later. */
public final class OutOfHostMemoryException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public OutOfHostMemoryException(int wanted, long capacity) {
        super("host memory exhausted: " + wanted + " bytes wanted, capacity " + capacity);
    }
}
