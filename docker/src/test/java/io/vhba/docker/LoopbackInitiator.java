package io.vhba.docker;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
import io.vhba.emulator.iscsi.codec.IscsiPduDecoder;
import io.vhba.emulator.iscsi.codec.IscsiPduEncoder;
import io.vhba.emulator.iscsi.codec.PduOrigin;
import io.vhba.emulator.iscsi.pdu.DataIn;
import io.vhba.emulator.iscsi.pdu.LoginRequest;
import io.vhba.emulator.iscsi.pdu.LoginResponse;
import io.vhba.emulator.iscsi.pdu.Pdu;
import io.vhba.emulator.iscsi.pdu.ScsiCommand;
import io.vhba.emulator.iscsi.pdu.ScsiResponse;
import io.vhba.emulator.iscsi.pdu.TaskManagementRequest;
import io.vhba.emulator.iscsi.pdu.TaskManagementResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Just enough of an initiator, through the emulator's own PDU codec, to put I/O on an in-process
 * target so that its meters exist: a one-round login, SCSI commands with immediate data, an ABORT
 * TASK. Commands go one at a time to LUN 0.
 */
final class LoopbackInitiator implements AutoCloseable {
    private final Socket socket = new Socket();
    private final InputStream in;
    private final OutputStream out;
    private final EmbeddedChannel decoder =
            new EmbeddedChannel(new IscsiPduDecoder(PduOrigin.TARGET).maxRecvDataSegmentLength((1 << 24) - 1));
    private final IscsiPduEncoder encoder = new IscsiPduEncoder();
    private int cmdSn = 1;
    private int itt = 1;

    LoopbackInitiator(int port) throws IOException {
        socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
        socket.setSoTimeout(30_000);
        in = socket.getInputStream();
        out = socket.getOutputStream();
    }

    /** Logs in to a normal session; returns the final Status-Class (0 is success). */
    int login(String initiator, String target) throws IOException {
        String text = "InitiatorName=" + initiator + "\0TargetName=" + target + "\0SessionType=Normal\0"
                + "HeaderDigest=None\0DataDigest=None\0MaxRecvDataSegmentLength=65536\0";
        int loginItt = itt++;
        send(new LoginRequest(true, false, 1, 3, 0, 0, 0x23D000000002L, 0, loginItt, 1, cmdSn, 0,
                Unpooled.copiedBuffer(text, StandardCharsets.UTF_8)));
        LoginResponse r = (LoginResponse) receive();
        if (r.statusClass() == 0 && !r.transit()) {
            r.release();
            send(new LoginRequest(true, false, 1, 3, 0, 0, 0x23D000000002L, 0, loginItt, 1, cmdSn, 0, Unpooled.EMPTY_BUFFER));
            r = (LoginResponse) receive();
        }
        r.release();
        return r.statusClass();
    }

    /** One command; {@code data} goes as immediate data. Returns the SCSI status. */
    int command(byte[] cdb, byte[] data, int readLength) throws IOException {
        int tag = itt++;
        boolean write = data != null;
        send(new ScsiCommand(false, true, readLength > 0, write, 1, 0, tag, write ? data.length : readLength, cmdSn++, 0,
                Arrays.copyOf(cdb, 16), -1, write ? Unpooled.wrappedBuffer(data) : Unpooled.EMPTY_BUFFER));
        for (;;) {
            Object pdu = receive();
            try {
                if (pdu instanceof DataIn d && d.statusPresent()) {
                    return d.status();
                } else if (pdu instanceof ScsiResponse r) {
                    return r.status();
                } else if (!(pdu instanceof DataIn)) {
                    throw new IOException("unexpected " + pdu);
                }
            } finally {
                ReferenceCountUtil.release(pdu);
            }
        }
    }

    /** ABORT TASK of a tag that names no task; returns the TMF response (1: task does not exist). */
    int abortUnknownTask() throws IOException {
        send(new TaskManagementRequest(true, 1, 0, itt++, 0x7FFF_0000, cmdSn, 0, cmdSn, 0));
        return ((TaskManagementResponse) receive()).response();
    }

    private void send(Pdu pdu) throws IOException {
        ByteBuf b = encoder.encode(UnpooledByteBufAllocator.DEFAULT, pdu);
        try {
            byte[] bytes = new byte[b.readableBytes()];
            b.readBytes(bytes);
            out.write(bytes);
            out.flush();
        } finally {
            b.release();
            pdu.release();
        }
    }

    private Object receive() throws IOException {
        byte[] buf = new byte[65536];
        for (;;) {
            Object m = decoder.readInbound();
            if (m != null) {
                return m;
            }
            int n = in.read(buf);
            if (n < 0) {
                throw new IOException("the target closed the connection");
            }
            decoder.writeInbound(Unpooled.copiedBuffer(buf, 0, n));
        }
    }

    static byte[] readWrite10(int opcode, long lba, int blocks) {
        return new byte[] {(byte) opcode, 0, (byte) (lba >>> 24), (byte) (lba >>> 16), (byte) (lba >>> 8), (byte) lba, 0,
                (byte) (blocks >>> 8), (byte) blocks, 0};
    }

    @Override
    public void close() throws IOException {
        socket.close();
        decoder.finishAndReleaseAll();
    }
}
