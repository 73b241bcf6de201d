package io.vhba.emulator.fuzz;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The volume share of bench/fuzz.sh: the login or full-feature harness driven by a plain mutator (bit
 * flips, interesting bytes, chunk insertion, deletion and splicing of seed inputs) instead of Jazzer, so
 * without instrumentation and several times faster. Jazzer's runs find coverage; this one pushes PDUs.
 * The properties are the harness's own: a hang, a malformed answer or anything left after a connection
 * is a finding, printed with the input in hex, and ends the run.
 *
 * <pre>java ... MutationLoop login|full-feature MAX_PDUS MAX_SECONDS SEED_DIR...</pre>
 */
public final class MutationLoop {
    private static final byte[] INTERESTING = {0, 1, 2, 0x7F, (byte) 0x80, (byte) 0xFF, 0x40, 0x3F, 0x20, 0x10, 8, 4};

    private MutationLoop() {}

    public static void main(String[] args) throws Exception {
        Consumer<byte[]> harness;
        FuzzStats stats;
        switch (args[0]) {
            case "login" -> {
                harness = LoginFuzzTest::fuzzerTestOneInput;
                stats = LoginFuzzTest.STATS;
            }
            case "full-feature" -> {
                harness = FullFeatureFuzzTest::fuzzerTestOneInput;
                stats = FullFeatureFuzzTest.STATS;
            }
            default -> throw new IllegalArgumentException("harness must be login or full-feature, not " + args[0]);
        }
        long maxPdus = Long.parseLong(args[1]);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(Long.parseLong(args[2]));
        List<byte[]> seeds = new ArrayList<>();
        for (int i = 3; i < args.length; i++) {
            Path dir = Path.of(args[i]);
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try (Stream<Path> files = Files.list(dir)) {
                for (Path f : (Iterable<Path>) files::iterator) {
                    if (Files.isRegularFile(f) && Files.size(f) > 0 && Files.size(f) < 256 * 1024) {
                        seeds.add(Files.readAllBytes(f));
                    }
                }
            }
        }
        if (seeds.isEmpty()) {
            throw new IllegalStateException("no seeds in " + Arrays.toString(Arrays.copyOfRange(args, 3, args.length)));
        }
        SplittableRandom random = new SplittableRandom();
        int status = 0;
        while (stats.pdus.get() < maxPdus && System.nanoTime() < deadline) {
            byte[] input = mutate(seeds.get(random.nextInt(seeds.size())), seeds, random);
            try {
                harness.accept(input);
            } catch (Throwable finding) {
                System.err.println("VHBA-FUZZ finding: " + finding);
                finding.printStackTrace();
                System.err.println("input: " + java.util.HexFormat.of().formatHex(input));
                status = 1;
                break;
            }
        }
        LeakRecorder.collect();
        System.err.println(stats.line());
        System.exit(status != 0 || !LeakRecorder.leaks().isEmpty() ? 1 : 0);
    }

    /** One to four byte-level mutations of a seed, keeping its first (flags) byte most of the time. */
    static byte[] mutate(byte[] seed, List<byte[]> all, SplittableRandom r) {
        byte[] b = seed.clone();
        int n = 1 + r.nextInt(4);
        for (int i = 0; i < n && b.length > 1; i++) {
            int at = 1 + r.nextInt(b.length - 1);
            switch (r.nextInt(7)) {
                case 0 -> b[at] ^= (byte) (1 << r.nextInt(8));
                case 1 -> b[at] = INTERESTING[r.nextInt(INTERESTING.length)];
                case 2 -> b[at] = (byte) r.nextInt(256);
                case 3 -> { // delete a chunk
                    int len = Math.min(b.length - at, 1 + r.nextInt(64));
                    byte[] c = new byte[b.length - len];
                    System.arraycopy(b, 0, c, 0, at);
                    System.arraycopy(b, at + len, c, at, b.length - at - len);
                    b = c;
                }
                case 4 -> { // insert random bytes
                    byte[] extra = new byte[1 + r.nextInt(32)];
                    r.nextBytes(extra);
                    b = splice(b, at, extra);
                }
                case 5 -> { // splice in a piece of another seed
                    byte[] other = all.get(r.nextInt(all.size()));
                    int from = r.nextInt(other.length);
                    b = splice(b, at, Arrays.copyOfRange(other, from, Math.min(other.length, from + 1 + r.nextInt(256))));
                }
                default -> { // a 32-bit field to an edge value
                    if (at + 4 <= b.length) {
                        int v = switch (r.nextInt(4)) {
                            case 0 -> 0;
                            case 1 -> -1;
                            case 2 -> Integer.MAX_VALUE;
                            default -> 1 << r.nextInt(31);
                        };
                        b[at] = (byte) (v >>> 24);
                        b[at + 1] = (byte) (v >>> 16);
                        b[at + 2] = (byte) (v >>> 8);
                        b[at + 3] = (byte) v;
                    }
                }
            }
        }
        return b;
    }

    private static byte[] splice(byte[] b, int at, byte[] piece) {
        byte[] c = new byte[b.length + piece.length];
        System.arraycopy(b, 0, c, 0, at);
        System.arraycopy(piece, 0, c, at, piece.length);
        System.arraycopy(b, at, c, at + piece.length, b.length - at);
        return c;
    }
}
