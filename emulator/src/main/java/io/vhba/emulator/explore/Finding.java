package io.vhba.emulator.explore;

/**
 * What a schedule found: a verifier bug check, data that read back wrong, a protocol failure the initiator saw, or a
 * run that could not go on (a hang, a stall, the budget spent).
 */
public record Finding(Kind kind, String detail) {

    public enum Kind { BUG_CHECK, MISCOMPARE, PROTOCOL, HANG }

    @Override
    public String toString() {
        return switch (kind) {
            case BUG_CHECK -> "bug check " + detail;
            case MISCOMPARE -> "data miscompare: " + detail;
            case PROTOCOL -> "protocol failure: " + detail;
            case HANG -> "hang: " + detail;
        };
    }
}
