package io.vhba.emulator.it;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.vhba.emulator.iscsi.codec.IscsiPduDecoder;
import io.vhba.emulator.iscsi.codec.IscsiPduEncoder;
import io.vhba.emulator.iscsi.codec.PduOrigin;
import io.vhba.emulator.iscsi.pdu.LoginRequest;
import io.vhba.emulator.iscsi.pdu.LoginResponse;
import io.vhba.emulator.iscsi.pdu.DataIn;
import io.vhba.emulator.iscsi.pdu.Pdu;
import io.vhba.emulator.iscsi.pdu.ScsiCommand;
import io.vhba.emulator.iscsi.pdu.ScsiResponse;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A minimal blocking iSCSI initiator for wire-level tests: it speaks through the project's codec
 * (decoding target PDUs) and can also send raw bytes, such as malformed headers.
 */
public final class WireInitiator implements AutoCloseable {
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final EmbeddedChannel decoder = new EmbeddedChannel(new IscsiPduDecoder(PduOrigin.TARGET).maxRecvDataSegmentLength((1 << 24) - 1));
    private final IscsiPduEncoder encoder = new IscsiPduEncoder();
    private int cmdSn = 1;
    private int itt = 1;

    public WireInitiator(int port) throws IOException {
        this(port, 0);
    }

    /** A connection whose socket receive buffer is {@code receiveBufferBytes} (0: the system's), set before connecting. */
    public WireInitiator(int port, int receiveBufferBytes) throws IOException {
        socket = new Socket();
        if (receiveBufferBytes > 0) {
            socket.setReceiveBufferSize(receiveBufferBytes);
        }
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        socket.setSoTimeout(5000);
        in = socket.getInputStream();
        out = socket.getOutputStream();
    }

    /** How long {@link #receive} waits for the target (5 s unless changed), for commands the target answers slowly on purpose. */
    public void setReceiveTimeout(int millis) throws IOException {
        socket.setSoTimeout(millis);
    }

    /** Digests on what is sent and expected on what is received, from now on (after a login that negotiated them). */
    public void digests(boolean header, boolean data) {
        encoder.headerDigest(header).dataDigest(data);
        decoder.pipeline().get(IscsiPduDecoder.class).headerDigest(header).dataDigest(data);
    }

    public void sendRaw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    public void send(Pdu pdu) throws IOException {
        ByteBuf b = encoder.encode(UnpooledByteBufAllocator.DEFAULT, pdu);
        try {
            byte[] bytes = new byte[b.readableBytes()];
            b.readBytes(bytes);
            sendRaw(bytes);
        } finally {
            b.release();
            pdu.release();
        }
    }

    /** The next decoded PDU, or null if the target closed the connection; throws on a 5 s silence. */
    public Object receive() throws IOException {
        byte[] buf = new byte[65536];
        for (;;) {
            Object m = decoder.readInbound();
            if (m != null) {
                return m;
            }
            int n;
            try {
                n = in.read(buf);
            } catch (SocketTimeoutException e) {
                throw new IOException("no PDU and no close within " + socket.getSoTimeout() + " ms");
            }
            if (n < 0) {
                return null;
            }
            decoder.writeInbound(Unpooled.copiedBuffer(buf, 0, n));
        }
    }

    /** Waits until the target closes the connection, discarding anything it sends; false on a 5 s silence. */
    public boolean awaitClose() throws IOException {
        byte[] buf = new byte[4096];
        try {
            while (in.read(buf) >= 0) {
                // drain
            }
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true; // reset by peer counts as closed
        }
    }

    /** A single-PDU login to full feature phase with default keys; returns the final response. */
    public LoginResponse login(String initiator, String target) throws IOException {
        return login(initiator, target, "HeaderDigest=None\0DataDigest=None\0MaxRecvDataSegmentLength=65536\0");
    }

    /** A login with {@code keys} (NUL-terminated key=value pairs) besides the names. */
    public LoginResponse login(String initiator, String target, String keys) throws IOException {
        String text = "InitiatorName=" + initiator + "\0TargetName=" + target + "\0SessionType=Normal\0" + keys;
        int loginItt = itt++; // one ITT for every PDU of the login (RFC 7143 §11.12.8)
        LoginRequest r = new LoginRequest(true, false, 1, 3, 0, 0, 0x23D000000001L, 0, loginItt, 1, cmdSn, 0,
                Unpooled.copiedBuffer(text, StandardCharsets.UTF_8));
        send(r);
        LoginResponse resp = (LoginResponse) receive();
        if (resp.statusClass() == 0 && !resp.transit()) {
            // The target wants another round (it offered keys): answer with an empty final request.
            send(new LoginRequest(true, false, 1, 3, 0, 0, 0x23D000000001L, 0, loginItt, 1, cmdSn, 0, Unpooled.EMPTY_BUFFER));
            resp.release();
            resp = (LoginResponse) receive();
        }
        return resp;
    }

    /** What came back for one command: SCSI status, sense bytes (without the SenseLength prefix), Data-In bytes. */
    public record Answer(int status, byte[] sense, byte[] data) {
        public int dataBytes() {
            return data.length;
        }
    }

    /**
     * One SCSI command to LUN 0, its CDB padded to 16 bytes: {@code out} goes as immediate data
     * (ImmediateData=Yes by default, RFC 7143 §13.11), {@code readLength} is the Data-In the
     * initiator expects. Returns once the status arrives, in a Data-In or a SCSI Response.
     */
    public Answer command(byte[] cdb, byte[] out, int readLength) throws IOException {
        return command(0, cdb, out, readLength);
    }

    /**
     * As {@link #command(byte[], byte[], int)}, to LUN {@code lun} (below 256: single-level peripheral addressing,
     * SAM-5 4.7). A connection the target closes meanwhile is an {@link EOFException}.
     */
    public Answer command(int lun, byte[] cdb, byte[] out, int readLength) throws IOException {
        int itt = nextItt();
        boolean write = out != null;
        send(new ScsiCommand(false, true, readLength > 0, write, 1, (long) lun << 48, itt, write ? out.length : readLength,
                nextCmdSn(), 0, Arrays.copyOf(cdb, 16), -1, write ? Unpooled.wrappedBuffer(out) : Unpooled.EMPTY_BUFFER));
        ByteArrayOutputStream in = new ByteArrayOutputStream();
        while (true) {
            Object pdu = receive();
            if (pdu == null) {
                throw new EOFException("the target closed the connection before answering ITT " + itt);
            }
            if (pdu instanceof DataIn d) {
                expectItt(itt, d.itt());
                byte[] b = new byte[d.data().readableBytes()];
                d.data().getBytes(d.data().readerIndex(), b);
                in.write(b, 0, b.length);
                boolean done = d.statusPresent();
                int status = d.status();
                d.release();
                if (done) {
                    return new Answer(status, new byte[0], in.toByteArray());
                }
            } else if (pdu instanceof ScsiResponse r) {
                expectItt(itt, r.itt());
                byte[] sense = new byte[0];
                if (r.data().readableBytes() >= 2) {
                    sense = new byte[r.data().getUnsignedShort(r.data().readerIndex())];
                    r.data().getBytes(r.data().readerIndex() + 2, sense);
                }
                r.release();
                return new Answer(r.status(), sense, in.toByteArray());
            } else {
                throw new AssertionError("unexpected PDU " + pdu);
            }
        }
    }

    /** READ(10) of {@code blocks} blocks at {@code lba} (SBC-4 5.16), for {@link #command}. */
    public static byte[] read10(long lba, int blocks) {
        return new byte[] {0x28, 0, (byte) (lba >>> 24), (byte) (lba >>> 16), (byte) (lba >>> 8), (byte) lba, 0,
                (byte) (blocks >>> 8), (byte) blocks, 0};
    }

    private static void expectItt(int expected, int actual) {
        if (actual != expected) {
            throw new AssertionError(String.format("ITT 0x%08x answered while waiting for 0x%08x", actual, expected));
        }
    }

    public int nextItt() {
        return itt++;
    }

    public int cmdSn() {
        return cmdSn;
    }

    public int nextCmdSn() {
        return cmdSn++;
    }

    @Override
    public void close() throws IOException {
        socket.close();
        decoder.finishAndReleaseAll();
    }
}
