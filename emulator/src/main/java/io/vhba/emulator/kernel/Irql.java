package io.vhba.emulator.kernel;

/** Interrupt request levels as on x64 Windows. */
public final class Irql {
    private Irql() {}

    public static final int PASSIVE_LEVEL = 0;
    public static final int APC_LEVEL = 1;
    public static final int DISPATCH_LEVEL = 2;
    /** The lowest device IRQL; each connected interrupt gets a level in [DIRQL_MIN, DIRQL_MAX]. */
    public static final int DIRQL_MIN = 3;
    public static final int DIRQL_MAX = 12;
    public static final int CLOCK_LEVEL = 13;
    public static final int HIGH_LEVEL = 15;

    public static String name(int irql) {
        return switch (irql) {
            case PASSIVE_LEVEL -> "PASSIVE_LEVEL";
            case APC_LEVEL -> "APC_LEVEL";
            case DISPATCH_LEVEL -> "DISPATCH_LEVEL";
            case CLOCK_LEVEL -> "CLOCK_LEVEL";
            case HIGH_LEVEL -> "HIGH_LEVEL";
            default -> irql >= DIRQL_MIN && irql <= DIRQL_MAX ? "DIRQL(" + irql + ")" : "IRQL(" + irql + ")";
        };
    }
}
