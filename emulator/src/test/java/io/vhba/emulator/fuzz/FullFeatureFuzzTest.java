package io.vhba.emulator.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.vhba.emulator.iscsi.pdu.LoginResponse;
import io.vhba.emulator.iscsi.pdu.NopIn;
import io.vhba.emulator.iscsi.pdu.R2T;
import io.vhba.emulator.iscsi.pdu.TargetPdu;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;

/**
 * Coverage-guided fuzzing of the full feature phase: each input logs in to the real target for real (a
 * fresh connection, in-VM), then plays mutated PDUs: SCSI commands with random CDBs, Data-Out, NOP-Out,
 * task management, Text, Logout, SNACK, and whatever the header says.
 *
 * <p>Input: a flags byte (bit 0 HeaderDigest=CRC32C, bit 1 DataDigest=CRC32C, bit 2 InitialR2T=Yes), then
 * records of two control bytes, a 48-byte BHS, a 2-byte data length and the data.
 * <ul>
 *   <li>control 1: bits 0-2 digests (6 corrupts the data digest, 7 the header digest; any other value sends
 *       them right), bit 3 CmdSN set to the target's ExpCmdSN, bit 4 LUN set to 0, bit 5 a NOP-Out ping
 *       follows (a barrier: the harness waits for its NOP-In), bit 6 a Data-Out answers the last R2T
 *       (ITT, TTT, offset, DataSN), bit 7 the first bytes of the data go in an AHS;</li>
 *   <li>control 2: bits 0-2 the opcode (0 as in the BHS; NOP-Out, SCSI Command, Task Management, Text,
 *       Data-Out, Logout, SNACK), bit 3 CDB byte 0 from a table of common commands picked by bits 4-7.</li>
 * </ul>
 *
 * <p>Properties: every PDU the target writes is well-formed; a barrier is answered or the connection
 * closed within 30 s (else a hang); after the close the target holds no session, no SRB and no host
 * page more than before; no ByteBuf leaks.
 */
public class FullFeatureFuzzTest {
    static final FuzzStats STATS = new FuzzStats("full-feature");
    private static final AtomicLong ISIDS = new AtomicLong(0xC0_0000_0000L);
    private static final AtomicInteger BARRIERS = new AtomicInteger();
    private static final int[] OPCODES = {-1, Frames.NOP_OUT, Frames.SCSI_COMMAND, Frames.TMF, Frames.TEXT,
            Frames.DATA_OUT, Frames.LOGOUT, Frames.SNACK};
    /** TEST UNIT READY, REQUEST SENSE, INQUIRY, MODE SENSE(6), READ CAPACITY(10), READ(10), WRITE(10), VERIFY(10),
     * SYNCHRONIZE CACHE(10), WRITE SAME(10), UNMAP, PERSISTENT RESERVE IN/OUT, READ(16), WRITE(16), REPORT LUNS. */
    private static final int[] CDB_OPCODES = {0x00, 0x03, 0x12, 0x1A, 0x25, 0x28, 0x2A, 0x2F, 0x35, 0x41, 0x42, 0x5E,
            0x5F, 0x88, 0x8A, 0xA0};
    /**
     * How long an answer may take before it counts as a hang: generous, because the first PDUs of a run
     * load and instrument most of the target's classes, on a machine that may be busy (vhba.fuzz.answerMillis).
     */
    static final long ANSWER_MILLIS = Long.getLong("vhba.fuzz.answerMillis", 30_000);
    private static final int BARRIER_EVERY = 8;

    @FuzzTest(maxDuration = "5s")
    void fullFeature(byte[] input) {
        fuzzerTestOneInput(input);
    }

    @AfterAll
    static void noLeaks() {
        STATS.endOfTest();
    }

    public static void fuzzerTearDown() {
        STATS.endOfRun();
    }

    /** The state of one connection as the harness tracks it. */
    private static final class Link {
        final InVmConnection c;
        final boolean headerDigest;
        final boolean dataDigest;
        int cmdSn = 1;
        R2T lastR2t;
        int r2tSent;
        int r2tDataSn;

        Link(InVmConnection c, boolean headerDigest, boolean dataDigest) {
            this.c = c;
            this.headerDigest = headerDigest;
            this.dataDigest = dataDigest;
        }
    }

    public static void fuzzerTestOneInput(byte[] input) {
        if (input.length < 1) {
            return;
        }
        FuzzTarget target = FuzzTarget.get();
        STATS.executions.incrementAndGet();
        int flags = input[0] & 0xFF;
        FuzzTarget.Held before = target.held();
        InVmConnection c = new InVmConnection(target.inVmAddress());
        STATS.connections.incrementAndGet();
        try {
            Link link = new Link(c, (flags & 1) != 0, (flags & 2) != 0);
            if (login(link, (flags & 4) != 0)) {
                play(link, input);
            }
        } finally {
            c.close();
        }
        String held = target.awaitQuiet(before, 10, TimeUnit.SECONDS);
        if (held != null) {
            throw new AssertionError("after the connection closed the target still holds " + held);
        }
        STATS.finishIfBudgetSpent();
    }

    /** A real login (one request, or two when the target offers keys); true in full feature phase. */
    private static boolean login(Link link, boolean initialR2t) {
        long isid = ISIDS.incrementAndGet() & 0xFFFF_FFFF_FFFFL;
        String text = Frames.text("InitiatorName=iqn.2026-11.io.vhba.fuzz:initiator", "TargetName=" + FuzzTarget.FUZZ_IQN,
                "SessionType=Normal", "HeaderDigest=" + (link.headerDigest ? "CRC32C" : "None"),
                "DataDigest=" + (link.dataDigest ? "CRC32C" : "None"), "InitialR2T=" + (initialR2t ? "Yes" : "No"),
                "ImmediateData=Yes", "MaxRecvDataSegmentLength=65536", "MaxBurstLength=262144",
                "FirstBurstLength=65536", "MaxOutstandingR2T=4", "ErrorRecoveryLevel=0");
        for (int round = 0; round < 3; round++) {
            link.c.send(Frames.login(1, 3, true, false, isid, 0, 1, 0, round == 0 ? text : ""));
            STATS.pdus.incrementAndGet();
            Object m = link.c.poll(ANSWER_MILLIS);
            if (!(m instanceof LoginResponse r) || r.statusClass() != 0) {
                InVmConnection.release(m);
                throw new AssertionError("the harness's own login failed: " + m);
            }
            boolean done = r.transit() && r.nsg() == 3;
            r.release();
            if (done) {
                STATS.logins.incrementAndGet();
                link.c.digests(link.headerDigest, link.dataDigest);
                return true;
            }
        }
        throw new AssertionError("the target did not complete a plain login in 3 rounds");
    }

    private static void play(Link link, byte[] input) {
        int at = 1;
        int sinceBarrier = 0;
        while (at + 2 + Frames.BHS <= input.length && !link.c.closed()) {
            int ctrl1 = input[at] & 0xFF;
            int ctrl2 = input[at + 1] & 0xFF;
            byte[] bhs = Arrays.copyOfRange(input, at + 2, at + 2 + Frames.BHS);
            at += 2 + Frames.BHS;
            int length = at + 2 <= input.length ? (input[at] & 0xFF) << 8 | input[at + 1] & 0xFF : 0;
            at += 2;
            byte[] data = Arrays.copyOfRange(input, Math.min(at, input.length), Math.min(at + length, input.length));
            at += length;
            byte[] ahs = new byte[0];
            if ((ctrl1 & 0x80) != 0 && data.length >= 4) {
                int n = Math.min(data.length, 20) & ~3;
                ahs = Arrays.copyOf(data, n);
                data = Arrays.copyOfRange(data, n, data.length);
            }
            shape(link, bhs, ctrl1, ctrl2);
            if ((ctrl1 & 0x40) != 0 && link.lastR2t != null && (bhs[0] & 0x3F) == Frames.DATA_OUT) {
                data = answerR2t(link, bhs, data);
            }
            byte[] frame = Frames.frame(bhs, ahs, data, link.headerDigest, link.dataDigest);
            corruptDigest(frame, ctrl1 & 7, ahs.length, data.length, link);
            link.c.send(frame);
            STATS.pdus.incrementAndGet();
            if ((ctrl1 & 0x20) != 0 || ++sinceBarrier >= BARRIER_EVERY) {
                barrier(link);
                sinceBarrier = 0;
            }
        }
        if (!link.c.closed()) {
            barrier(link);
        }
    }

    /** Applies the control bytes' repairs to the header. */
    private static void shape(Link link, byte[] bhs, int ctrl1, int ctrl2) {
        ByteBuffer h = ByteBuffer.wrap(bhs);
        int opcode = OPCODES[ctrl2 & 7];
        if (opcode >= 0) {
            bhs[0] = (byte) ((bhs[0] & 0x40) | opcode);
        }
        int op = bhs[0] & 0x3F;
        if (op == Frames.SCSI_COMMAND && (ctrl2 & 8) != 0) {
            bhs[32] = (byte) CDB_OPCODES[ctrl2 >>> 4];
        }
        if ((ctrl1 & 0x10) != 0 && op != Frames.TEXT && op != Frames.LOGOUT) {
            h.putLong(8, 0);
        }
        boolean carriesCmdSn = op == Frames.NOP_OUT || op == Frames.SCSI_COMMAND || op == Frames.TMF
                || op == Frames.TEXT || op == Frames.LOGOUT;
        if ((ctrl1 & 0x08) != 0 && carriesCmdSn) {
            h.putInt(24, link.cmdSn);
            if ((bhs[0] & 0x40) == 0) {
                link.cmdSn++;
            }
        }
    }

    /** Turns a Data-Out into the next one the last R2T asks for. */
    private static byte[] answerR2t(Link link, byte[] bhs, byte[] data) {
        R2T r = link.lastR2t;
        int left = Math.max(0, r.desiredDataTransferLength() - link.r2tSent);
        byte[] d = Arrays.copyOf(data, Math.min(data.length, left));
        ByteBuffer h = ByteBuffer.wrap(bhs);
        boolean last = link.r2tSent + d.length >= r.desiredDataTransferLength();
        bhs[1] = (byte) (last ? 0x80 : 0);
        h.putLong(8, r.lun());
        h.putInt(16, r.itt());
        h.putInt(20, r.ttt());
        h.putInt(36, link.r2tDataSn++);
        h.putInt(40, r.bufferOffset() + link.r2tSent);
        link.r2tSent += d.length;
        return d;
    }

    /** Mode 6 breaks the data digest, 7 the header digest (only where digests are on). */
    private static void corruptDigest(byte[] frame, int mode, int ahsLength, int dataLength, Link link) {
        if (mode == 7 && link.headerDigest) {
            frame[Frames.BHS + (ahsLength & ~3)] ^= 0x5A;
        } else if (mode == 6 && link.dataDigest && dataLength > 0) {
            frame[frame.length - 1] ^= 0x5A;
        }
    }

    /** A NOP-Out ping, then everything the target sends until its NOP-In, each PDU checked. */
    private static void barrier(Link link) {
        int itt = 0x7F00_0000 | (BARRIERS.incrementAndGet() & 0xFF_FFFF);
        if (!link.c.send(Frames.ping(itt, link.cmdSn, 0, link.headerDigest))) {
            return;
        }
        STATS.pdus.incrementAndGet();
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ANSWER_MILLIS);
        while (true) {
            long left = TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime());
            Object m = left > 0 ? link.c.poll(left) : null;
            if (m == null) {
                throw new AssertionError("hang: a NOP-Out ping got no NOP-In and no close in " + ANSWER_MILLIS + " ms");
            }
            if (m == InVmConnection.CLOSED) {
                return;
            }
            try {
                TargetPdu pdu = TargetAnswers.wellFormed(m, "full feature phase");
                if (pdu instanceof R2T r) {
                    link.lastR2t = r;
                    link.r2tSent = 0;
                    link.r2tDataSn = 0;
                }
                if (pdu instanceof NopIn n && n.itt() == itt) {
                    link.cmdSn = n.expCmdSN();
                    return;
                }
            } finally {
                InVmConnection.release(m);
            }
        }
    }
}
