package io.vhba.emulator.storport;

import io.vhba.hw.Access;
import io.vhba.hw.DataBuffer;
import io.vhba.hw.DataDirection;
import io.vhba.hw.DeviceContext;
import io.vhba.hw.DeviceModel;
import io.vhba.hw.RegisterFile;
import io.vhba.hw.ScsiBus;
import io.vhba.hw.ScsiCommand;
import io.vhba.hw.ScsiResult;
import io.vhba.hw.Width;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A deliberately small controller for engine tests: the driver writes a command descriptor
 * address to CMD_LO/CMD_HI and rings DOORBELL; the device runs it at once (inline), writes the
 * status back into the descriptor, queues the tag for DONE (read pops) and signals MSI-X 0.
 * Descriptor (little-endian): u32 tag, u8 cdbLen, u8 dir, u8 lun, u8 status, u32 len,
 * u32 transferred, u64 dataPa (one contiguous-or-not region given as SG: u32 count at +24,
 * then {u64 pa, u32 len, u32 0} at +32), cdb[16] at +8+... see offsets below.
 */
final class TestController implements DeviceModel {
    static final String HW_ID = "PCI\\VEN_0000&DEV_7E57";
    static final int CMD_LO = 0x00;
    static final int CMD_HI = 0x04;
    static final int DOORBELL = 0x08;
    static final int DONE = 0x0C;
    static final int ENABLE = 0x10;
    static final int SCRATCH8 = 0x20;
    static final int SCRATCH16 = 0x24;
    static final int SCRATCH64 = 0x28;
    // descriptor layout
    static final int D_TAG = 0;
    static final int D_CDB_LEN = 4;
    static final int D_DIR = 5;
    static final int D_LUN = 6;
    static final int D_STATUS = 7;
    static final int D_LEN = 8;
    static final int D_XFER = 12;
    static final int D_SG_COUNT = 16;
    static final int D_CDB = 20;
    static final int D_SG = 40;
    static final int D_SENSE = 200;
    static final int DESCRIPTOR_SIZE = 256;

    private final RegisterFile regs;
    private final ConcurrentLinkedQueue<Integer> done = new ConcurrentLinkedQueue<>();
    final List<Integer> opcodesSeen = new CopyOnWriteArrayList<>();
    private DeviceContext ctx;
    private ScsiBus bus;
    volatile boolean completeInReverse;
    private final java.util.ArrayDeque<Long> held = new java.util.ArrayDeque<>();
    volatile int holdCount;
    /** Every command waits for {@link #releaseOne} / {@link #releaseAll} (for queue-management tests). */
    volatile boolean holdAll;
    private final java.util.ArrayDeque<Long> parked = new java.util.ArrayDeque<>();
    /** INTx instead of MSI-X: no messages; the line stays asserted while DONE has tags. */
    private final boolean line;

    TestController() {
        this(false);
    }

    /** MSI-X messages the device has (1 unless a test asks for more). */
    private final int messages;
    /** The MSI-X message the device signals for a completion. */
    volatile int completionMessage;

    TestController(boolean line) {
        this(line, line ? 0 : 1);
    }

    /** An MSI-X device with {@code messages} messages (signalling {@link #completionMessage}). */
    TestController(int messages) {
        this(false, messages);
    }

    private TestController(boolean line, int messages) {
        this.line = line;
        this.messages = messages;
        regs = RegisterFile.builder("test-bar0", 4096)
                .register("CMD_LO", CMD_LO, Width.DWORD, Access.RW)
                .register("CMD_HI", CMD_HI, Width.DWORD, Access.RW)
                .register("DOORBELL", DOORBELL, Width.DWORD, Access.WO, 0, null, (o, w, n) -> ring())
                .register("DONE", DONE, Width.DWORD, Access.RO, 0, v -> {
                    Integer t = done.poll();
                    if (t == null && line) {
                        lineAsserted = false;
                        ctx.interrupts().deassertLine(); // nothing left to report: the level drops
                    }
                    return t == null ? 0xFFFF_FFFFL : t;
                }, null)
                .register("ENABLE", ENABLE, Width.DWORD, Access.RW)
                // scratch registers of every width, for the register and port routine tests
                .register("SCRATCH8A", SCRATCH8, Width.BYTE, Access.RW)
                .register("SCRATCH8B", SCRATCH8 + 1, Width.BYTE, Access.RW)
                .register("SCRATCH16A", SCRATCH16, Width.WORD, Access.RW)
                .register("SCRATCH16B", SCRATCH16 + 2, Width.WORD, Access.RW)
                .register("SCRATCH64A", SCRATCH64, Width.QWORD, Access.RW)
                .register("SCRATCH64B", SCRATCH64 + 8, Width.QWORD, Access.RW)
                .build();
    }

    @Override public String hardwareId() { return HW_ID; }
    @Override public List<RegisterFile> bars() { return List.of(regs); }
    @Override public int msixMessageCount() { return messages; }

    private volatile boolean lineAsserted;

    private void interrupt() {
        if (line) {
            lineAsserted = true;
            ctx.interrupts().assertLine();
        } else {
            ctx.interrupts().signal(completionMessage);
        }
    }

    /** Runs the oldest parked command (holdAll) and interrupts; false if none was parked. */
    boolean releaseOne() {
        Long pa;
        synchronized (parked) {
            pa = parked.pollFirst();
        }
        if (pa == null) {
            return false;
        }
        run(pa);
        interrupt();
        return true;
    }

    /** Runs every parked command, oldest first. */
    void releaseAll() {
        while (releaseOne()) {
            // one interrupt per command, as a device without coalescing
        }
    }

    /** Whether the INTx line is asserted now (line mode). */
    boolean lineInterruptAsserted() {
        return lineAsserted;
    }

    int parkedCount() {
        synchronized (parked) {
            return parked.size();
        }
    }

    @Override
    public void attach(DeviceContext context) {
        this.ctx = context;
        this.bus = context.bus();
    }

    @Override public void detach() { }

    @Override
    public Map<String, Long> statistics() {
        return Map.of("commands", (long) opcodesSeen.size());
    }

    private void ring() {
        long pa = (regs.get("CMD_LO") & 0xFFFF_FFFFL) | (regs.get("CMD_HI") << 32);
        if (holdAll) {
            synchronized (parked) {
                parked.addLast(pa);
            }
            return;
        }
        if (holdCount > 0) {
            synchronized (held) {
                held.push(pa);
                if (held.size() < holdCount) {
                    return;
                }
            }
            synchronized (held) {
                while (!held.isEmpty()) {
                    run(held.pop()); // LIFO: the last rung completes first
                }
            }
            interrupt();
            return;
        }
        run(pa);
        interrupt();
    }

    private void run(long pa) {
        var dma = ctx.dma();
        byte[] d = new byte[DESCRIPTOR_SIZE];
        dma.read(pa, d, 0, d.length);
        ByteBuffer b = ByteBuffer.wrap(d).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        int tag = b.getInt(D_TAG);
        int cdbLen = d[D_CDB_LEN];
        byte[] cdb = new byte[16];
        System.arraycopy(d, D_CDB, cdb, 0, 16);
        opcodesSeen.add(cdb[0] & 0xFF);
        int len = b.getInt(D_LEN);
        int sgCount = b.getInt(D_SG_COUNT);
        long[] sgPa = new long[sgCount];
        int[] sgLen = new int[sgCount];
        for (int i = 0; i < sgCount; i++) {
            sgPa[i] = b.getLong(D_SG + 16 * i);
            sgLen[i] = b.getInt(D_SG + 16 * i + 8);
        }
        DataBuffer data = new DataBuffer() {
            @Override public int length() { return len; }
            @Override public void writeDataIn(int offset, ByteBuffer src) { walk(offset, src, true); }
            @Override public void readDataOut(int offset, ByteBuffer dst) { walk(offset, dst, false); }
            private void walk(int offset, ByteBuffer buf, boolean in) {
                int pos = 0;
                for (int i = 0; i < sgCount && buf.hasRemaining(); i++) {
                    if (offset < pos + sgLen[i]) {
                        int into = Math.max(0, offset - pos);
                        int n = Math.min(sgLen[i] - into, buf.remaining());
                        ByteBuffer part = buf.duplicate();
                        part.limit(part.position() + n);
                        if (in) {
                            dma.write(sgPa[i] + into, part);
                        } else {
                            dma.read(sgPa[i] + into, part);
                        }
                        buf.position(buf.position() + n);
                        offset += n;
                    }
                    pos += sgLen[i];
                }
            }
        };
        DataDirection dir = switch (d[D_DIR]) {
            case 1 -> DataDirection.IN;
            case 2 -> DataDirection.OUT;
            default -> DataDirection.NONE;
        };
        ScsiResult r = bus.execute(0, d[D_LUN], new ScsiCommand(cdb, cdbLen, dir, len == 0 ? DataBuffer.NONE : data, 0));
        d[D_STATUS] = (byte) r.status().code();
        b.putInt(D_XFER, r.transferred());
        if (r.sense() != null) {
            r.sense().writeTo(d, D_SENSE);
        }
        dma.write(pa + D_STATUS, d, D_STATUS, 1);
        dma.write(pa + D_XFER, d, D_XFER, 4);
        dma.write(pa + D_SENSE, d, D_SENSE, 18);
        done.add(tag);
    }
}
