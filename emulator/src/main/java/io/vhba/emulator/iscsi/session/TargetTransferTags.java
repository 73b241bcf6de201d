package io.vhba.emulator.iscsi.session;

/** Target Transfer Tags for R2Ts and NOP-In pings: unique on the connection, never 0xFFFFFFFF. */
final class TargetTransferTags {
    private int next = 1;

    int next() {
        int t = next++;
        if (next == 0xFFFF_FFFF) {
            next = 1;
        }
        return t;
    }
}
