package io.vhba.emulator.it;

import io.vhba.emulator.iscsi.pdu.LoginResponse;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.NavigableMap;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Writers for a crash test. Each owns a region of one LUN (whole 64 KiB granules, so no two share a granule), runs
 * one session at queue depth 1, and keeps, for every block it touched, what a crash may leave there: the last
 * content the target said was durable, or anything written after it. Every block written carries its LUN, LBA and a
 * sequence number, and pseudo-random bytes derived from them, so a block read back names the write it came from and
 * a torn or stray block names none.
 */
final class CrashWorkload {
    static final int BLOCK = 512;
    /** The file store's granule in blocks (FileStore.DEFAULT_GRANULARITY). */
    static final int GRANULE = 128;

    private CrashWorkload() {}

    /** What one block may hold after a crash. Content 0 is zeros (never written, or deallocated with LBPRZ=1). */
    static final class BlockState {
        long durable;
        final List<Long> since = new ArrayList<>();

        boolean allows(long content) {
            return content == durable || since.contains(content);
        }

        @Override
        public String toString() {
            return "durable " + durable + ", written since " + since;
        }
    }

    /** The bytes of block {@code lba} of LUN {@code lun} written by write {@code seq} (zeros for seq 0). */
    static byte[] content(int lun, long lba, long seq) {
        byte[] b = new byte[BLOCK];
        if (seq == 0) {
            return b;
        }
        new Random(lba * 1_000_003L ^ seq * 7_919L ^ lun).nextBytes(b);
        ByteBuffer.wrap(b).putLong(lba).putLong(seq).putInt(lun);
        return b;
    }

    /** The write a block read back came from: 0 for zeros, -1 when it is no whole block any write made. */
    static long identify(int lun, long lba, byte[] data, int offset) {
        ByteBuffer b = ByteBuffer.wrap(data, offset, BLOCK);
        long readLba = b.getLong();
        long seq = b.getLong();
        if (seq == 0 && readLba == 0) {
            for (int i = 0; i < BLOCK; i++) {
                if (data[offset + i] != 0) {
                    return -1;
                }
            }
            return 0;
        }
        if (readLba != lba || seq <= 0) {
            return -1;
        }
        return ByteBuffer.wrap(content(lun, lba, seq)).equals(ByteBuffer.wrap(data, offset, BLOCK)) ? seq : -1;
    }

    /** One writer: a session, a region, a model of its blocks. */
    abstract static class Writer implements Runnable {
        final String name;
        final int lun;
        final long first;
        final long blocks;
        final NavigableMap<Long, BlockState> model = new TreeMap<>();
        final Random random;
        private final AtomicLong seqs;
        private final Set<Long> unsynced = new HashSet<>();
        private int port;
        private String iqn;
        private WireInitiator session;
        volatile long acked;
        volatile Throwable failure;
        volatile boolean stop;

        Writer(String name, int lun, long first, long blocks, long seed, AtomicLong seqs) {
            this.name = name;
            this.lun = lun;
            this.first = first;
            this.blocks = blocks;
            this.random = new Random(seed);
            this.seqs = seqs;
        }

        Writer against(int port, String iqn) {
            this.port = port;
            this.iqn = iqn;
            this.stop = false;
            this.acked = 0;
            return this;
        }

        /** One step of the workload, on the open session. */
        abstract void step() throws IOException;

        @Override
        public void run() {
            try (WireInitiator w = new WireInitiator(port)) {
                session = w;
                loginAndClearAttention(w, "iqn.2026-11.test:crash-" + name, iqn, lun);
                for (int i = 0; i < 1_000_000 && !stop; i++) {
                    step();
                }
            } catch (IOException e) {
                // the target was killed under the session: expected, and what the test is about
            } catch (Throwable t) {
                failure = t;
            } finally {
                session = null;
            }
        }

        private BlockState state(long lba) {
            return model.computeIfAbsent(lba, k -> new BlockState());
        }

        /** A write of {@code n} blocks; with {@code durableOnGood}, GOOD means the blocks are durable. */
        void write(long lba, int n, boolean fua, boolean durableOnGood) throws IOException {
            long seq = seqs.incrementAndGet();
            byte[] out = new byte[n * BLOCK];
            for (int i = 0; i < n; i++) {
                System.arraycopy(content(lun, lba + i, seq), 0, out, i * BLOCK, BLOCK);
                state(lba + i).since.add(seq); // sent: from now on it may be on the medium
            }
            byte[] cdb = {0x2A, (byte) (fua ? 0x08 : 0), (byte) (lba >>> 24), (byte) (lba >>> 16), (byte) (lba >>> 8),
                    (byte) lba, 0, (byte) (n >>> 8), (byte) n, 0};
            expectGood(session.command(lun, cdb, out, 0), "WRITE(10)" + (fua ? " FUA" : ""));
            for (int i = 0; i < n; i++) {
                acknowledge(lba + i, seq, durableOnGood);
            }
        }

        /** UNMAP of one range; deallocated blocks read zeros (LBPRZ=1). */
        void unmap(long lba, long n, boolean durableOnGood) throws IOException {
            deallocating(lba, n);
            byte[] list = ByteBuffer.allocate(24).putShort((short) 22).putShort((short) 16).putInt(0).putLong(lba)
                    .putInt((int) n).putInt(0).array();
            byte[] cdb = {0x42, 0, 0, 0, 0, 0, 0, 0, (byte) list.length, 0};
            expectGood(session.command(lun, cdb, list, 0), "UNMAP");
            deallocated(lba, n, durableOnGood);
        }

        /** WRITE SAME(16) with the UNMAP bit: the thin LUN deallocates the range (SBC-4 5.49). */
        void writeSameUnmap(long lba, long n, boolean durableOnGood) throws IOException {
            deallocating(lba, n);
            byte[] cdb = ByteBuffer.allocate(16).put((byte) 0x93).put((byte) 0x08).putLong(lba).putInt((int) n)
                    .put((byte) 0).put((byte) 0).array();
            expectGood(session.command(lun, cdb, new byte[BLOCK], 0), "WRITE SAME(16) UNMAP");
            deallocated(lba, n, durableOnGood);
        }

        /** SYNCHRONIZE CACHE(10) of the whole medium: on GOOD, every write acknowledged before is durable. */
        void synchronizeCache() throws IOException {
            expectGood(session.command(lun, new byte[] {0x35, 0, 0, 0, 0, 0, 0, 0, 0, 0}, null, 0),
                    "SYNCHRONIZE CACHE(10)");
            for (long lba : unsynced) {
                BlockState s = model.get(lba);
                s.durable = s.since.get(s.since.size() - 1);
                s.since.clear();
            }
            unsynced.clear();
        }

        private void deallocating(long lba, long n) {
            for (BlockState s : model.subMap(lba, lba + n).values()) {
                s.since.add(0L);
            }
        }

        private void deallocated(long lba, long n, boolean durable) {
            for (long b : new ArrayList<>(model.subMap(lba, lba + n).keySet())) {
                acknowledge(b, 0, durable);
            }
        }

        private void acknowledge(long lba, long content, boolean durable) {
            acked++;
            BlockState s = state(lba);
            if (durable) {
                s.durable = content;
                s.since.clear();
                unsynced.remove(lba);
            } else {
                unsynced.add(lba);
            }
        }

        /** After a restart: block {@code lba} read back as {@code content}, the durable state the next load starts from. */
        void settle(long lba, long content) {
            BlockState s = state(lba);
            s.durable = content;
            s.since.clear();
            unsynced.remove(lba);
        }

        /** A random block count of 1 to {@code max} that still fits before {@code end}. */
        int count(long lba, int max, long end) {
            return (int) Math.min(1 + random.nextInt(max), end - lba);
        }

        long end() {
            return first + blocks;
        }
    }

    static void expectGood(WireInitiator.Answer a, String what) {
        if (a.status() != 0) {
            throw new AssertionError(what + " answered status " + a.status() + " sense " + hex(a.sense()));
        }
    }

    /** Login to {@code iqn} and TEST UNIT READY until the power-on unit attention of LUN {@code lun} is consumed. */
    static void loginAndClearAttention(WireInitiator w, String initiator, String iqn, int lun) throws IOException {
        LoginResponse login = w.login(initiator, iqn);
        int status = login.statusClass();
        login.release();
        if (status != 0) {
            throw new AssertionError(initiator + ": login failed with status class " + status);
        }
        clearAttention(w, lun);
    }

    /** TEST UNIT READY until the power-on unit attention of LUN {@code lun} is consumed on this session. */
    static void clearAttention(WireInitiator w, int lun) throws IOException {
        for (int i = 0; i < 4; i++) {
            if (w.command(lun, new byte[6], null, 0).status() == 0) {
                return;
            }
        }
        throw new AssertionError("LUN " + lun + " not ready after four TEST UNIT READY");
    }

    static String hex(byte[] b) {
        StringBuilder s = new StringBuilder();
        for (byte x : b) {
            s.append(String.format("%02X", x));
        }
        return s.toString();
    }
}
