package io.vhba.emulator.explore;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.vhba.emulator.iscsi.codec.IscsiPduDecoder;
import io.vhba.emulator.iscsi.codec.IscsiPduEncoder;
import io.vhba.emulator.iscsi.codec.PduOrigin;
import io.vhba.emulator.iscsi.pdu.LoginRequest;
import io.vhba.emulator.iscsi.pdu.LoginResponse;
import io.vhba.emulator.iscsi.pdu.LogoutRequest;
import io.vhba.emulator.iscsi.pdu.Pdu;
import java.nio.charset.StandardCharsets;

/**
 * The iSCSI side of the workload's initiator: the project's own codec over a {@link Wire}, a normal session's login
 * (RFC 7143 §6, one leading connection, no digests, immediate data) and its sequence numbers. Not thread-safe: one
 * initiator thread owns it.
 */
final class IscsiClient implements AutoCloseable {
    /** ISID of the explorer's sessions (random-qualifier format, RFC 7143 §11.12.5). */
    static final long ISID = 0x80_1234_5600_01L;
    static final int MAX_RECV = 262144;

    private final Wire wire;
    private final EmbeddedChannel decoder = new EmbeddedChannel(
            new IscsiPduDecoder(PduOrigin.TARGET).maxRecvDataSegmentLength((1 << 24) - 1));
    private final IscsiPduEncoder encoder = new IscsiPduEncoder();
    private int cmdSn = 1;
    private int itt = 1;
    private int expStatSn;

    IscsiClient(Wire wire) {
        this.wire = wire;
    }

    /** Sends the PDUs in one write (pipelined: a command and the task management request that follows it). */
    void send(Pdu... pdus) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (Pdu pdu : pdus) {
            ByteBuf b = encoder.encode(UnpooledByteBufAllocator.DEFAULT, pdu);
            try {
                byte[] bytes = new byte[b.readableBytes()];
                b.readBytes(bytes);
                out.writeBytes(bytes);
            } finally {
                b.release();
                pdu.release();
            }
        }
        wire.send(out.toByteArray());
    }

    /** The next PDU from the target, or null when it closed the connection. */
    Object receive() {
        for (;;) {
            Object m = decoder.readInbound();
            if (m != null) {
                return m;
            }
            byte[] bytes = wire.receive();
            if (bytes == null) {
                return null;
            }
            decoder.writeInbound(Unpooled.wrappedBuffer(bytes));
        }
    }

    int nextItt() {
        return itt++;
    }

    int nextCmdSn() {
        return cmdSn++;
    }

    int cmdSn() {
        return cmdSn;
    }

    int expStatSn() {
        return expStatSn;
    }

    /** Notes a StatSN the target sent (ExpStatSN acknowledges it). */
    void acknowledge(int statSn) {
        expStatSn = statSn + 1;
    }

    /**
     * Logs in to {@code target} straight to full feature phase; returns the final response (status class 0 on
     * success). Immediate data on, initial R2T off, so a small write goes in its command PDU.
     */
    LoginResponse login(String initiator, String target) {
        String keys = "InitiatorName=" + initiator + "\0TargetName=" + target + "\0SessionType=Normal\0"
                + "HeaderDigest=None\0DataDigest=None\0MaxRecvDataSegmentLength=" + MAX_RECV + "\0"
                + "InitialR2T=No\0ImmediateData=Yes\0FirstBurstLength=65536\0MaxBurstLength=262144\0"
                + "MaxOutstandingR2T=1\0ErrorRecoveryLevel=0\0";
        int loginItt = nextItt();
        send(new LoginRequest(true, false, 1, 3, 0, 0, ISID, 0, loginItt, 1, cmdSn, 0,
                Unpooled.copiedBuffer(keys, StandardCharsets.UTF_8)));
        for (int round = 0; round < 4; round++) {
            Object m = receive();
            if (!(m instanceof LoginResponse r)) {
                return null;
            }
            acknowledge(r.statSN());
            if (r.statusClass() != 0 || r.transit()) {
                return r;
            }
            r.release();
            send(new LoginRequest(true, false, 1, 3, 0, 0, ISID, 0, loginItt, 1, cmdSn, expStatSn, Unpooled.EMPTY_BUFFER));
        }
        return null;
    }

    /** Logout of the session (reason 0), not waiting for the answer. */
    void logout() {
        send(new LogoutRequest(true, 0, nextItt(), 1, cmdSn, expStatSn));
    }

    @Override
    public void close() {
        wire.close();
        decoder.finishAndReleaseAll();
    }
}
