package io.vhba.samples.common;

/**
 * Detaches a harness port's controller at the end of a try-with-resources block, so a test that
 * fails midway leaves no controller worker behind.
 *
 * @param <P> the sample's harness port
 */
public final class Detaching<P extends DeviceHarnessPort<?, ?>> implements AutoCloseable {
    public final P port;

    public Detaching(P port) {
        this.port = port;
    }

    @Override
    public void close() {
        port.controller.detach();
    }
}
