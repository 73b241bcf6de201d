package io.vhba.hw;

/**
 * A named bit field of a register (Renode-style declarative fields): bits
 * {@code [lsb, lsb + width)}.
 */
public record RegisterField(String name, int lsb, int width) {

    public RegisterField {
        if (lsb < 0 || width < 1 || lsb + width > 64) {
            throw new IllegalArgumentException("bad field " + name + " [" + lsb + "+" + width + ")");
        }
    }

    public long mask() {
        return (width == 64 ? -1L : ((1L << width) - 1)) << lsb;
    }

    public long get(long registerValue) {
        return (registerValue & mask()) >>> lsb;
    }

    public long set(long registerValue, long fieldValue) {
        return (registerValue & ~mask()) | ((fieldValue << lsb) & mask());
    }
}
