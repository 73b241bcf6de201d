package io.vhba.emulator.platform;

/**
 * Sees each interrupt signal of a device (message id, or -1 for the line). It runs
 * {@code delivery} now, later (delay), or never (drop: return false).
 */
@FunctionalInterface
public interface InterruptInterceptor {
    boolean deliver(int messageId, Runnable delivery);

    InterruptInterceptor NONE = (id, delivery) -> {
        delivery.run();
        return true;
    };
}
