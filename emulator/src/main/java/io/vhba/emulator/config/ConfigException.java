package io.vhba.emulator.config;

/** A configuration or command-line value that cannot be used; the message is one line naming the problem. */
public final class ConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
        super(message);
    }
}
