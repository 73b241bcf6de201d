package io.vhba.emulator.fuzz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vhba.emulator.it.ProcessRun;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Writes the fuzzers' seed corpus from real initiators' PDUs: a recording proxy on loopback stands
 * between {@link FuzzTarget} and libiscsi's {@code iscsi-inq} and {@code iscsi-ls}, a short fio run with
 * the libiscsi engine, and open-iscsi-shaped logins (the Linux initiator's keys, sent by this class). The
 * recorded streams are cut into PDUs and written in each harness's input format, in Jazzer's layout
 * ({@code <Class>Inputs/<method>/}). Not a test of the target: it runs only when asked, with
 * {@code -Dvhba.captureSeeds=emulator/src/test/resources}; the seeds are committed.
 */
class SeedCaptureTest {
    private static final String PKG = "io/vhba/emulator/fuzz/";
    private static final int MAX_STREAM = 48 * 1024;

    /** One recorded TCP connection: what the initiator sent and what the target answered. */
    record Conversation(byte[] initiator, byte[] target) {}

    @Test
    void captureSeeds() throws Exception {
        String dir = System.getProperty("vhba.captureSeeds");
        assumeTrue(dir != null, "seed capture runs only with -Dvhba.captureSeeds=<test resources dir>");
        Path out = Path.of(dir).resolve(PKG);
        FuzzTarget target = FuzzTarget.get();
        List<Conversation> all = new ArrayList<>();
        try (Recorder proxy = new Recorder(target.port())) {
            String portal = "iscsi://127.0.0.1:" + proxy.port();
            String fuzzLun0 = portal + "/" + FuzzTarget.FUZZ_IQN + "/0";
            assertThat(ProcessRun.run(30, "iscsi-inq", fuzzLun0).exitCode()).isZero();
            assertThat(ProcessRun.run(30, "iscsi-inq", "-e", "1", "-c", "0x83", fuzzLun0).exitCode()).isZero();
            assertThat(ProcessRun.run(30, "iscsi-ls", "-s", portal).exitCode()).isZero();
            String fio = System.getenv().getOrDefault("VHBA_FIO", "/tmp/fio-iscsi/bin/fio");
            if (Files.isExecutable(Path.of(fio))) {
                ProcessRun r = ProcessRun.run(60, fio, "--name=seed", "--ioengine=libiscsi", "--thread", "--direct=1",
                        "--filename=" + fuzzLun0.replace(":", "\\:"), "--rw=randrw", "--bs=4k", "--iodepth=4",
                        "--size=256k", "--io_size=256k", "--verify=crc32c");
                assertThat(r.exitCode()).as(r.stderr()).isZero();
            }
            linuxShapedLogins(proxy.port());
            all.addAll(proxy.conversations());
        }
        int n = 0;
        for (Conversation c : all) {
            n += writeSeeds(out, c);
        }
        assertThat(n).isGreaterThan(10);
    }

    /** open-iscsi's login key set (iscsid): discovery with SendTargets, then a normal two-stage login. */
    private static void linuxShapedLogins(int port) throws IOException {
        String iqn = "iqn.1993-08.org.debian:01:5eed5eed5eed";
        String security = Frames.text("InitiatorName=" + iqn, "InitiatorAlias=seed-host", "SessionType=Discovery",
                "AuthMethod=None");
        String discoveryOps = Frames.text("HeaderDigest=None", "DataDigest=None", "DefaultTime2Wait=2",
                "DefaultTime2Retain=0", "IFMarker=No", "OFMarker=No", "ErrorRecoveryLevel=0",
                "MaxRecvDataSegmentLength=32768");
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            s.setSoTimeout(5000);
            exchange(s, Frames.login(0, 1, true, false, 0x023D_0000_0001L, 1, 0, 0, security));
            exchange(s, Frames.login(1, 3, true, false, 0x023D_0000_0001L, 1, 0, 1, discoveryOps));
            byte[] text = new byte[Frames.BHS];
            text[0] = (byte) (0x40 | Frames.TEXT);
            text[1] = (byte) 0x80;
            java.nio.ByteBuffer.wrap(text).putInt(16, 2).putInt(20, -1).putInt(24, 0).putInt(28, 2);
            exchange(s, Frames.frame(text, new byte[0], "SendTargets=All\0".getBytes(StandardCharsets.UTF_8), false, false));
        }
        String normal = Frames.text("InitiatorName=" + iqn, "InitiatorAlias=seed-host", "TargetName=" + FuzzTarget.FUZZ_IQN,
                "SessionType=Normal", "AuthMethod=None");
        String ops = Frames.text("HeaderDigest=None", "DataDigest=None", "DefaultTime2Wait=2", "DefaultTime2Retain=0",
                "IFMarker=No", "OFMarker=No", "ErrorRecoveryLevel=0", "InitialR2T=No", "ImmediateData=Yes",
                "MaxBurstLength=16776192", "FirstBurstLength=262144", "MaxOutstandingR2T=1", "MaxConnections=1",
                "DataPDUInOrder=Yes", "DataSequenceInOrder=Yes", "MaxRecvDataSegmentLength=262144");
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            s.setSoTimeout(5000);
            exchange(s, Frames.login(0, 1, true, false, 0x023D_0000_0002L, 1, 1, 0, normal));
            exchange(s, Frames.login(1, 3, true, false, 0x023D_0000_0002L, 1, 1, 1, ops));
        }
    }

    private static void exchange(Socket s, byte[] pdu) throws IOException {
        s.getOutputStream().write(pdu);
        s.getOutputStream().flush();
        byte[] header = s.getInputStream().readNBytes(Frames.BHS);
        int length = (header[5] & 0xFF) << 16 | (header[6] & 0xFF) << 8 | header[7] & 0xFF;
        s.getInputStream().readNBytes((length + 3) & ~3);
    }

    /** Cuts one conversation into PDUs and writes the seeds of every harness; returns how many. */
    private static int writeSeeds(Path out, Conversation c) throws IOException {
        boolean headerDigest = new String(c.target(), StandardCharsets.ISO_8859_1).contains("HeaderDigest=CRC32C");
        boolean dataDigest = new String(c.target(), StandardCharsets.ISO_8859_1).contains("DataDigest=CRC32C");
        List<Pdu> pdus = split(c.initiator(), headerDigest, dataDigest);
        int written = 0;
        // The decoder: the raw stream, as a target (digests as negotiated only after login: framed mode off).
        byte[] stream = java.util.Arrays.copyOf(c.initiator(), Math.min(c.initiator().length, MAX_STREAM));
        written += write(out.resolve("PduDecoderFuzzTestInputs/decode"), concat(new byte[] {(byte) 0xC0}, stream));
        written += write(out.resolve("PduDecoderFuzzTestInputs/decode"),
                concat(new byte[] {(byte) 0xC4}, java.util.Arrays.copyOf(c.target(), Math.min(c.target().length, MAX_STREAM))));
        // ...and framed with digests on every PDU.
        ByteArrayOutputStream framed = new ByteArrayOutputStream();
        framed.write(0xCB);
        ByteArrayOutputStream login = new ByteArrayOutputStream();
        ByteArrayOutputStream ffp = new ByteArrayOutputStream();
        ffp.write(0);
        int ffpPdus = 0;
        for (Pdu p : pdus) {
            if (framed.size() < MAX_STREAM) {
                framed.writeBytes(p.bhs);
                framed.writeBytes(p.ahs);
                framed.writeBytes(p.data);
            }
            int opcode = p.bhs[0] & 0x3F;
            if (p.data.length > 0 && (opcode == Frames.LOGIN || opcode == Frames.TEXT)) {
                written += write(out.resolve("TextCodecFuzzTestInputs/text"), concat(new byte[] {0}, p.data));
            }
            if (opcode == Frames.LOGIN) {
                record(login, 0x03, p);
            } else if (ffpPdus < 48 && ffp.size() < MAX_STREAM) {
                // fix CmdSN, barrier after each, a Data-Out answers the last R2T; opcode and CDB as sent
                record(ffp, 0x28 | (opcode == Frames.DATA_OUT ? 0x40 : 0), 0, p);
                ffpPdus++;
            }
        }
        written += write(out.resolve("PduDecoderFuzzTestInputs/decode"), framed.toByteArray());
        if (login.size() > 0) {
            written += write(out.resolve("LoginFuzzTestInputs/login"), login.toByteArray());
        }
        if (ffpPdus > 0) {
            written += write(out.resolve("FullFeatureFuzzTestInputs/fullFeature"), ffp.toByteArray());
        }
        return written;
    }

    private static void record(ByteArrayOutputStream o, int ctrl, Pdu p) {
        o.write(ctrl);
        o.writeBytes(p.bhs);
        byte[] d = concat(p.ahs, p.data);
        o.write(d.length >>> 8);
        o.write(d.length);
        o.writeBytes(d);
    }

    private static void record(ByteArrayOutputStream o, int ctrl1, int ctrl2, Pdu p) {
        o.write(ctrl1 | (p.ahs.length > 0 ? 0x80 : 0));
        o.write(ctrl2);
        o.writeBytes(p.bhs);
        byte[] d = concat(p.ahs, java.util.Arrays.copyOf(p.data, Math.min(p.data.length, 8192)));
        o.write(d.length >>> 8);
        o.write(d.length);
        o.writeBytes(d);
    }

    /** One PDU of a recorded stream, without its padding and digests. */
    record Pdu(byte[] bhs, byte[] ahs, byte[] data) {}

    /** Cuts a stream into PDUs; digests are taken to start after the last Login Request. */
    static List<Pdu> split(byte[] s, boolean headerDigest, boolean dataDigest) {
        List<Pdu> l = new ArrayList<>();
        int at = 0;
        boolean loggedIn = false;
        while (at + Frames.BHS <= s.length) {
            byte[] bhs = java.util.Arrays.copyOfRange(s, at, at + Frames.BHS);
            int opcode = bhs[0] & 0x3F;
            loggedIn |= opcode != Frames.LOGIN;
            boolean hd = loggedIn && headerDigest;
            boolean dd = loggedIn && dataDigest;
            int ahsLength = (bhs[4] & 0xFF) * 4;
            int length = (bhs[5] & 0xFF) << 16 | (bhs[6] & 0xFF) << 8 | bhs[7] & 0xFF;
            int next = at + Frames.BHS + ahsLength + (hd ? 4 : 0) + ((length + 3) & ~3) + (dd && length > 0 ? 4 : 0);
            if (next > s.length) {
                break;
            }
            byte[] ahs = java.util.Arrays.copyOfRange(s, at + Frames.BHS, at + Frames.BHS + ahsLength);
            int dataAt = at + Frames.BHS + ahsLength + (hd ? 4 : 0);
            l.add(new Pdu(bhs, ahs, java.util.Arrays.copyOfRange(s, dataAt, dataAt + length)));
            at = next;
        }
        return l;
    }

    private static int write(Path dir, byte[] seed) throws IOException {
        Files.createDirectories(dir);
        String name;
        try {
            name = "seed-" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(seed)).substring(0, 16);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        Path p = dir.resolve(name);
        if (Files.exists(p)) {
            return 0;
        }
        Files.write(p, seed);
        return 1;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] r = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }

    /** A loopback proxy that records both directions of every connection (the first MAX_STREAM * 4 bytes). */
    static final class Recorder implements AutoCloseable {
        private final ServerSocket server = new ServerSocket();
        private final int targetPort;
        private final List<ByteArrayOutputStream[]> streams = new ArrayList<>();
        private final List<Thread> threads = new ArrayList<>();

        Recorder(int targetPort) throws IOException {
            this.targetPort = targetPort;
            server.bind(new InetSocketAddress("127.0.0.1", 0));
            Thread t = new Thread(this::accept, "seed-proxy");
            t.setDaemon(true);
            t.start();
        }

        int port() {
            return server.getLocalPort();
        }

        private void accept() {
            while (!server.isClosed()) {
                try {
                    Socket client = server.accept();
                    Socket upstream = new Socket("127.0.0.1", targetPort);
                    ByteArrayOutputStream[] pair = {new ByteArrayOutputStream(), new ByteArrayOutputStream()};
                    synchronized (streams) {
                        streams.add(pair);
                    }
                    pump(client.getInputStream(), upstream.getOutputStream(), pair[0], upstream);
                    pump(upstream.getInputStream(), client.getOutputStream(), pair[1], client);
                } catch (IOException e) {
                    return;
                }
            }
        }

        private void pump(InputStream in, OutputStream out, ByteArrayOutputStream copy, Socket closeAfter) {
            Thread t = new Thread(() -> {
                byte[] buf = new byte[65536];
                try {
                    int n;
                    while ((n = in.read(buf)) > 0) {
                        synchronized (copy) {
                            if (copy.size() < MAX_STREAM * 4) {
                                copy.write(buf, 0, n);
                            }
                        }
                        out.write(buf, 0, n);
                        out.flush();
                    }
                } catch (IOException ignored) {
                    // the other side closed
                } finally {
                    try {
                        closeAfter.close();
                    } catch (IOException ignored) {
                        // closing
                    }
                }
            }, "seed-pump");
            t.setDaemon(true);
            synchronized (threads) {
                threads.add(t);
            }
            t.start();
        }

        List<Conversation> conversations() throws InterruptedException {
            synchronized (threads) {
                for (Thread t : threads) {
                    t.join(5000);
                }
            }
            List<Conversation> l = new ArrayList<>();
            synchronized (streams) {
                for (ByteArrayOutputStream[] p : streams) {
                    synchronized (p[0]) {
                        synchronized (p[1]) {
                            l.add(new Conversation(p[0].toByteArray(), p[1].toByteArray()));
                        }
                    }
                }
            }
            return l;
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }
}
