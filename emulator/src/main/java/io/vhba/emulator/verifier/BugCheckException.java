package io.vhba.emulator.verifier;

/** Unwinds the offending routine after a bug check; the engine catches it at the callback boundary. */
public final class BugCheckException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient BugCheck bugCheck;

    public BugCheckException(BugCheck bugCheck) {
        super(bugCheck.summary(), null, false, false);
        this.bugCheck = bugCheck;
    }

    public BugCheck bugCheck() {
        return bugCheck;
    }
}
