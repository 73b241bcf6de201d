package io.vhba.emulator.iscsi.session;

/** RFC 1982 serial number arithmetic on 32-bit sequence numbers, as RFC 7143 §4.2.2.1 requires for CmdSN. */
final class SerialNumber {
    private SerialNumber() {}

    /** a < b in serial arithmetic. */
    static boolean lessThan(int a, int b) {
        return a != b && (a - b) < 0;
    }

    static boolean lessOrEqual(int a, int b) {
        return a == b || (a - b) < 0;
    }

    /** Whether {@code sn} lies in [low, high]. */
    static boolean inWindow(int sn, int low, int high) {
        return lessOrEqual(low, sn) && lessOrEqual(sn, high);
    }
}
