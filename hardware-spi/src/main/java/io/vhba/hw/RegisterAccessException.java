package io.vhba.hw;

/** A driver access that does not match the register table; the platform turns it into a verifier finding. */
public final class RegisterAccessException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient RegisterFile file;
    private final int offset;
    private final Width width;
    private final RegisterAccessResult result;

    public RegisterAccessException(RegisterFile file, int offset, Width width, RegisterAccessResult result) {
        super(String.format("%s: %s access at offset 0x%X: %s", file.name(), width, offset, result));
        this.file = file;
        this.offset = offset;
        this.width = width;
        this.result = result;
    }

    public RegisterFile file() {
        return file;
    }

    public int offset() {
        return offset;
    }

    public Width width() {
        return width;
    }

    public RegisterAccessResult result() {
        return result;
    }
}
