package io.vhba.emulator.explore;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Arrays;

/** A TCP connection to a free-running target, for the stress run that explorations are compared with. */
final class SocketWire implements Wire {
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final byte[] buf = new byte[1 << 16];

    SocketWire(InetSocketAddress target, int timeoutMillis) {
        try {
            socket = new Socket();
            socket.connect(target, timeoutMillis);
            socket.setSoTimeout(timeoutMillis);
            socket.setTcpNoDelay(true);
            in = socket.getInputStream();
            out = socket.getOutputStream();
        } catch (IOException e) {
            throw new UncheckedIOException("connecting to " + target + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void send(byte[] bytes) {
        try {
            out.write(bytes);
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("sending: " + e.getMessage(), e);
        }
    }

    @Override
    public byte[] receive() {
        try {
            int n = in.read(buf);
            return n < 0 ? null : Arrays.copyOf(buf, n);
        } catch (IOException e) {
            throw new UncheckedIOException("receiving: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // closing anyway
        }
    }
}
