package io.vhba.hw;

/** A register or access width. */
public enum Width {
    BYTE(1),
    WORD(2),
    DWORD(4),
    QWORD(8);

    private final int bytes;

    Width(int bytes) {
        this.bytes = bytes;
    }

    public int bytes() {
        return bytes;
    }

    /** The mask of the low {@code bytes()} bytes. */
    public long mask() {
        return bytes == 8 ? -1L : (1L << (bytes * 8)) - 1;
    }
}
