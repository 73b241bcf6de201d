package io.vhba.emulator.scsi.disk;

import io.vhba.hw.DataBuffer;
import io.vhba.hw.DataDirection;
import io.vhba.hw.ScsiCommand;
import io.vhba.hw.ScsiResult;
import io.vhba.miniport.scsi.ScsiStatus;
import java.util.Arrays;

/** A disk over a counting RAM store, with CDB builders and a result type that keeps the Data-In bytes. */
final class DiskRig {

    static final DiskConfig.NaaIdentifier NAA = new DiskConfig.NaaIdentifier(0x001405, 0x0123_4567_89AB_CDEFL);

    final DiskConfig config;
    final CountingStore store;
    final DiskLogicalUnit unit;

    DiskRig(DiskConfig config) {
        this(config, SavedModePages.NOT_SUPPORTED);
    }

    DiskRig(DiskConfig config, SavedModePages saved) {
        this(config, saved, new SparseRamStore(config.geometry().capacityBytes()));
    }

    /** A rig over a store of the test's own (one with a small RAM budget, say). */
    DiskRig(DiskConfig config, BackingStore store) {
        this(config, SavedModePages.NOT_SUPPORTED, store);
    }

    private DiskRig(DiskConfig config, SavedModePages saved, BackingStore backing) {
        this.config = config;
        this.store = new CountingStore(backing);
        this.unit = new DiskLogicalUnit(config, store, saved);
    }

    /** A 1 MiB-block (512 MiB at 512 bytes) disk. */
    static DiskConfig config(int blockSize, long blocks) {
        return DiskConfig.of("Virtual Disk", "SN0001", NAA, blockSize, blocks);
    }

    static DiskRig thick() {
        return new DiskRig(config(512, 1 << 20));
    }

    static DiskRig thin() {
        return new DiskRig(config(512, 1 << 20).withThinProvisioning(true));
    }

    /** The outcome of one command. */
    record Result(ScsiResult result, byte[] data) {
        ScsiStatus status() {
            return result.status();
        }

        /** The 18-byte fixed-format sense. */
        byte[] sense() {
            return result.sense().toBytes();
        }
    }

    Result none(int... cdb) {
        ScsiResult r = unit.execute(new ScsiCommand(bytes(cdb), cdb.length, DataDirection.NONE, DataBuffer.NONE, 0));
        return new Result(r, new byte[0]);
    }

    Result in(int bufferLength, int... cdb) {
        TestBuffer buf = new TestBuffer(bufferLength);
        ScsiResult r = unit.execute(new ScsiCommand(bytes(cdb), cdb.length, DataDirection.IN, buf, 0));
        return new Result(r, Arrays.copyOf(buf.bytes, r.transferred()));
    }

    Result out(byte[] data, int... cdb) {
        ScsiResult r = unit.execute(new ScsiCommand(bytes(cdb), cdb.length, DataDirection.OUT, new TestBuffer(data), 0));
        return new Result(r, new byte[0]);
    }

    /** Runs a CDB given as bytes (for fuzzing-style loops). */
    Result in(int bufferLength, byte[] cdb) {
        TestBuffer buf = new TestBuffer(bufferLength);
        ScsiResult r = unit.execute(new ScsiCommand(cdb, cdb.length, DataDirection.IN, buf, 0));
        return new Result(r, Arrays.copyOf(buf.bytes, r.transferred()));
    }

    byte[] read(long lba, int blocks) {
        Result r = in(blocks * config.blockSize(), read16(lba, blocks));
        if (r.status() != ScsiStatus.GOOD) {
            throw new AssertionError("READ(16) failed: " + r.result());
        }
        return r.data();
    }

    void write(long lba, byte[] data) {
        Result r = out(data, write16(lba, data.length / config.blockSize(), 0));
        if (r.status() != ScsiStatus.GOOD) {
            throw new AssertionError("WRITE(16) failed: " + r.result());
        }
    }

    static byte[] bytes(int... b) {
        byte[] out = new byte[b.length];
        for (int i = 0; i < b.length; i++) {
            out[i] = (byte) b[i];
        }
        return out;
    }

    static byte[] filled(int length, int value) {
        byte[] b = new byte[length];
        Arrays.fill(b, (byte) value);
        return b;
    }

    static byte[] pattern(int length, int seed) {
        byte[] b = new byte[length];
        for (int i = 0; i < length; i++) {
            b[i] = (byte) (i * 31 + seed + (i >>> 9));
        }
        return b;
    }

    // ---- CDB builders (big-endian fields) ----

    static int[] read6(int lba, int blocks) {
        return new int[] {0x08, (lba >>> 16) & 0x1F, (lba >>> 8) & 0xFF, lba & 0xFF, blocks & 0xFF, 0};
    }

    static int[] write6(int lba, int blocks) {
        int[] c = read6(lba, blocks);
        c[0] = 0x0A;
        return c;
    }

    static int[] ten(int op, long lba, int blocks, int flags) {
        return new int[] {op, flags, b(lba, 24), b(lba, 16), b(lba, 8), b(lba, 0), 0, b(blocks, 8), b(blocks, 0), 0};
    }

    static int[] twelve(int op, long lba, long blocks, int flags) {
        return new int[] {op, flags, b(lba, 24), b(lba, 16), b(lba, 8), b(lba, 0),
                b(blocks, 24), b(blocks, 16), b(blocks, 8), b(blocks, 0), 0, 0};
    }

    static int[] sixteen(int op, long lba, long blocks, int flags) {
        return new int[] {op, flags, b(lba, 56), b(lba, 48), b(lba, 40), b(lba, 32), b(lba, 24), b(lba, 16),
                b(lba, 8), b(lba, 0), b(blocks, 24), b(blocks, 16), b(blocks, 8), b(blocks, 0), 0, 0};
    }

    static int[] read10(long lba, int blocks) {
        return ten(0x28, lba, blocks, 0);
    }

    static int[] write10(long lba, int blocks, int flags) {
        return ten(0x2A, lba, blocks, flags);
    }

    static int[] read16(long lba, long blocks) {
        return sixteen(0x88, lba, blocks, 0);
    }

    static int[] write16(long lba, long blocks, int flags) {
        return sixteen(0x8A, lba, blocks, flags);
    }

    static int[] inquiry(int evpd, int page, int allocation) {
        return new int[] {0x12, evpd, page, b(allocation, 8), b(allocation, 0), 0};
    }

    static int[] modeSense6(int dbd, int pcPage, int subpage, int allocation) {
        return new int[] {0x1A, dbd, pcPage, subpage, allocation, 0};
    }

    static int[] modeSense10(int flags, int pcPage, int subpage, int allocation) {
        return new int[] {0x5A, flags, pcPage, subpage, 0, 0, 0, b(allocation, 8), b(allocation, 0), 0};
    }

    static int[] readCapacity16(int allocation) {
        return new int[] {0x9E, 0x10, 0, 0, 0, 0, 0, 0, 0, 0, b(allocation, 24), b(allocation, 16),
                b(allocation, 8), b(allocation, 0), 0, 0};
    }

    static int[] rsoc(int rctdOptions, int opcode, int serviceAction, int allocation) {
        return new int[] {0xA3, 0x0C, rctdOptions, opcode, b(serviceAction, 8), b(serviceAction, 0),
                b(allocation, 24), b(allocation, 16), b(allocation, 8), b(allocation, 0), 0, 0};
    }

    static int b(long v, int shift) {
        return (int) ((v >>> shift) & 0xFF);
    }

    /** Fixed-format sense bytes 2, 12, 13 and 15..17 as a compact hex string "K/ASC/ASCQ/SKS". */
    static String senseSummary(byte[] s) {
        return String.format("%X/%02X/%02X/%02X%02X%02X", s[2] & 0xF, s[12] & 0xFF, s[13] & 0xFF,
                s[15] & 0xFF, s[16] & 0xFF, s[17] & 0xFF);
    }
}
