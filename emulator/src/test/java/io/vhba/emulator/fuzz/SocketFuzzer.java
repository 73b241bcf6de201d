package io.vhba.emulator.fuzz;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
import io.vhba.emulator.iscsi.codec.IscsiPduDecoder;
import io.vhba.emulator.iscsi.codec.PduOrigin;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * The socket share of bench/fuzz.sh: real initiators' recorded streams (the decoder seeds that start with
 * flags 0xC0), replayed over loopback TCP with a few PDUs mutated in each, against the in-process
 * {@link FuzzTarget} (then, after every connection, no session, SRB or host page may stay) or against a
 * target given by host and port (the real jar; then only its answers are checked).
 *
 * <pre>java ... SocketFuzzer SEED_DIR MAX_PDUS MAX_SECONDS THREADS [HOST:PORT]</pre>
 * Prints one {@code VHBA-FUZZ socket ...} line at the end; exits 1 on a finding.
 */
public final class SocketFuzzer {
    private static final FuzzStats STATS = new FuzzStats("socket");
    private static final AtomicLong MUTATED = new AtomicLong();
    private static final AtomicLong FINDINGS = new AtomicLong();
    private static final byte[] INTERESTING = {0, 1, 0x7F, (byte) 0x80, (byte) 0xFF, 0x40, 0x3F, 0x20};

    private SocketFuzzer() {}

    public static void main(String[] args) throws Exception {
        Path seeds = Path.of(args[0]);
        long maxPdus = Long.parseLong(args[1]);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(Long.parseLong(args[2]));
        int threads = Integer.parseInt(args[3]);
        String host = "127.0.0.1";
        int port;
        FuzzTarget inProcess = null;
        if (args.length > 4) {
            host = args[4].substring(0, args[4].lastIndexOf(':'));
            port = Integer.parseInt(args[4].substring(args[4].lastIndexOf(':') + 1));
        } else {
            inProcess = FuzzTarget.get();
            port = inProcess.port();
        }
        List<List<byte[]>> streams = new ArrayList<>();
        try (Stream<Path> files = Files.list(seeds)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                byte[] b = Files.readAllBytes(f);
                if (b.length > 1 && (b[0] & 0xFF) == 0xC0) {
                    List<byte[]> pdus = Frames.split(Arrays.copyOfRange(b, 1, b.length));
                    if (!pdus.isEmpty()) {
                        streams.add(pdus);
                    }
                }
            }
        }
        if (streams.isEmpty()) {
            throw new IllegalStateException("no recorded initiator streams (seeds starting with 0xC0) in " + seeds);
        }
        String targetHost = host;
        FuzzTarget local = inProcess;
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            long seed = System.nanoTime() + t;
            Thread w = new Thread(() -> {
                SplittableRandom random = new SplittableRandom(seed);
                while (STATS.pdus.get() < maxPdus && System.nanoTime() < deadline && FINDINGS.get() == 0) {
                    try {
                        oneConnection(targetHost, port, streams.get(random.nextInt(streams.size())), random, local);
                    } catch (IOException e) {
                        // a connection refused or reset under load: not a finding of the target's
                    } catch (Throwable e) {
                        // an assertion on the target's answers, or a failure of the fuzzer itself: both end the run
                        FINDINGS.incrementAndGet();
                        System.err.println("VHBA-FUZZ finding: " + e);
                        e.printStackTrace();
                    }
                }
            }, "socket-fuzzer-" + t);
            w.start();
            workers.add(w);
        }
        for (Thread w : workers) {
            w.join();
        }
        LeakRecorder.collect();
        System.err.println(STATS.line() + " mutated=" + MUTATED.get() + " findings=" + FINDINGS.get());
        System.exit(FINDINGS.get() == 0 && LeakRecorder.leaks().isEmpty() ? 0 : 1);
    }

    private static void oneConnection(String host, int port, List<byte[]> stream, SplittableRandom random,
                                      FuzzTarget local) throws IOException {
        FuzzTarget.Held before = local == null ? null : local.held();
        List<byte[]> pdus = new ArrayList<>(stream);
        int mutations = 1 + random.nextInt(3);
        for (int i = 0; i < mutations; i++) {
            int at = random.nextInt(pdus.size());
            pdus.set(at, mutate(pdus.get(at), random));
            MUTATED.incrementAndGet();
        }
        EmbeddedChannel decoder = new EmbeddedChannel(new IscsiPduDecoder(PduOrigin.TARGET).maxRecvDataSegmentLength((1 << 24) - 1));
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), 5000);
            s.setSoTimeout(50);
            STATS.connections.incrementAndGet();
            InputStream in = s.getInputStream();
            byte[] buf = new byte[65536];
            for (byte[] pdu : pdus) {
                try {
                    s.getOutputStream().write(pdu);
                } catch (IOException closedByTarget) {
                    break;
                }
                STATS.pdus.incrementAndGet();
                if (!drain(in, buf, decoder, false)) {
                    break;
                }
            }
            s.setSoTimeout(20);
            drain(in, buf, decoder, true);
        } finally {
            checkAnswers(decoder);
            decoder.finishAndReleaseAll();
        }
        if (local != null) {
            String held = local.awaitQuiet(before, 10, TimeUnit.SECONDS);
            if (held != null) {
                throw new AssertionError("after a socket connection closed the target still holds " + held);
            }
        }
    }

    /** Reads what has arrived (or, when {@code untilQuiet}, until 20 ms of silence); false once closed. */
    private static boolean drain(InputStream in, byte[] buf, EmbeddedChannel decoder, boolean untilQuiet)
            throws IOException {
        while (true) {
            int n;
            try {
                n = in.available() > 0 || untilQuiet ? in.read(buf) : 0;
            } catch (SocketTimeoutException quiet) {
                return true;
            } catch (IOException reset) {
                return false;
            }
            if (n < 0) {
                return false;
            }
            if (n == 0) {
                return true;
            }
            decoder.writeInbound(Unpooled.copiedBuffer(buf, 0, n));
            checkAnswers(decoder);
        }
    }

    private static void checkAnswers(EmbeddedChannel decoder) {
        Object m;
        while ((m = decoder.readInbound()) != null) {
            try {
                TargetAnswers.wellFormed(m, "socket");
            } finally {
                ReferenceCountUtil.release(m);
            }
        }
    }

    /** One mutation of a PDU: header bits and bytes, lengths, data, truncation or an extension. */
    static byte[] mutate(byte[] pdu, SplittableRandom r) {
        byte[] p = pdu.clone();
        if (p.length == 0) {
            // truncated to nothing by an earlier mutation: grow it back a little
            p = new byte[1 + r.nextInt(48)];
            r.nextBytes(p);
            return p;
        }
        switch (r.nextInt(8)) {
            case 0 -> p[r.nextInt(Math.min(48, p.length))] ^= (byte) (1 << r.nextInt(8));
            case 1 -> p[r.nextInt(Math.min(48, p.length))] = INTERESTING[r.nextInt(INTERESTING.length)];
            case 2 -> {
                // DataSegmentLength (bytes 5-7) or TotalAHSLength (4) to something else
                int at = 4 + r.nextInt(4);
                if (at < p.length) {
                    p[at] = INTERESTING[r.nextInt(INTERESTING.length)];
                }
            }
            case 3 -> p = Arrays.copyOf(p, r.nextInt(p.length + 1));
            case 4 -> {
                ByteArrayOutputStream o = new ByteArrayOutputStream();
                o.writeBytes(p);
                byte[] extra = new byte[1 + r.nextInt(64)];
                r.nextBytes(extra);
                o.writeBytes(extra);
                p = o.toByteArray();
            }
            case 5 -> {
                if (p.length > 48) {
                    p[48 + r.nextInt(p.length - 48)] ^= (byte) (1 << r.nextInt(8));
                }
            }
            case 6 -> p[0] = (byte) ((p[0] & 0x40) | r.nextInt(0x40));
            default -> {
                for (int i = 0; i < 4; i++) {
                    p[r.nextInt(Math.min(48, p.length))] = (byte) r.nextInt(256);
                }
            }
        }
        return p;
    }
}
