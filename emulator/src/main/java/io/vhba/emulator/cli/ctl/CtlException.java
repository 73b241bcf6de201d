package io.vhba.emulator.cli.ctl;

/**
 * Why {@code vhba ctl} stops, with its exit status: 1 the server answered an error, 2 a usage problem or the server
 * could not be reached. The message is one line.
 */
public final class CtlException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The server answered with an error status. */
    public static final int SERVER_ERROR = 1;
    /** Bad usage, or no answer from the server. */
    public static final int USAGE_OR_UNREACHABLE = 2;

    private final int exitCode;

    public CtlException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }
}
