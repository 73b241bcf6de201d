package io.vhba.emulator.iscsi.session;

/** One outstanding R2T of a task: the burst it solicited and how much of it has arrived. */
final class R2tState {
    final int ttt;
    final int r2tSn;
    final int offset;
    final int length;
    int received;
    int expectedDataSn;

    R2tState(int ttt, int r2tSn, int offset, int length) {
        this.ttt = ttt;
        this.r2tSn = r2tSn;
        this.offset = offset;
        this.length = length;
    }

    boolean complete() {
        return received >= length;
    }
}
