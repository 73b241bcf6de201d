package io.vhba.emulator.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.vhba.emulator.iscsi.pdu.LoginResponse;
import io.vhba.emulator.iscsi.pdu.TargetPdu;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;

/**
 * Coverage-guided fuzzing of the login phase: each input is played on a fresh connection to the real
 * target ({@link FuzzTarget}, in-VM), PDU by PDU.
 *
 * <p>Input: records of a control byte, a 48-byte BHS, a 2-byte data length and the data. Control bits:
 * 0 make it a Login Request (opcode 0x03, I bit), 1 keep ISID, ITT, CID, CmdSN and version as in the
 * first request (the target otherwise fails the login at once), 2 keep the data segment length as the
 * BHS says it, not as sent (the last PDU then). Every PDU is otherwise framed right.
 *
 * <p>Properties: each PDU is answered by a well-formed Login Response, or the connection is closed (a
 * PDU left unanswered for 30 s is a hang); once the connection is gone the target holds no session, no SRB
 * and no host page more than before; no ByteBuf leaks.
 */
public class LoginFuzzTest {
    static final FuzzStats STATS = new FuzzStats("login");
    private static final AtomicLong ISIDS = new AtomicLong(0x80_0000_0000L);
    /**
     * How long an answer may take before it counts as a hang: generous, because the first PDUs of a run
     * load and instrument most of the target's classes, on a machine that may be busy (vhba.fuzz.answerMillis).
     */
    static final long ANSWER_MILLIS = Long.getLong("vhba.fuzz.answerMillis", 30_000);

    @FuzzTest(maxDuration = "5s")
    void login(byte[] input) {
        fuzzerTestOneInput(input);
    }

    @AfterAll
    static void noLeaks() {
        STATS.endOfTest();
    }

    public static void fuzzerTearDown() {
        STATS.endOfRun();
    }

    public static void fuzzerTestOneInput(byte[] input) {
        FuzzTarget target = FuzzTarget.get();
        STATS.executions.incrementAndGet();
        FuzzTarget.Held before = target.held();
        long isid = ISIDS.incrementAndGet() & 0xFFFF_FFFF_FFFFL;
        byte[] first = null;
        InVmConnection c = new InVmConnection(target.inVmAddress());
        STATS.connections.incrementAndGet();
        try {
            int at = 0;
            while (at + 1 + Frames.BHS <= input.length && !c.closed()) {
                int ctrl = input[at] & 0xFF;
                byte[] bhs = Arrays.copyOfRange(input, at + 1, at + 1 + Frames.BHS);
                at += 1 + Frames.BHS;
                int length = at + 2 <= input.length ? (input[at] & 0xFF) << 8 | input[at + 1] & 0xFF : 0;
                at += 2;
                byte[] data = Arrays.copyOfRange(input, Math.min(at, input.length), Math.min(at + length, input.length));
                at += length;
                if ((ctrl & 1) != 0) {
                    bhs[0] = (byte) (0x40 | Frames.LOGIN);
                }
                if ((ctrl & 2) != 0 && first != null) {
                    System.arraycopy(first, 8, bhs, 8, 8);    // ISID, TSIH
                    System.arraycopy(first, 16, bhs, 16, 4);  // ITT
                    System.arraycopy(first, 20, bhs, 20, 2);  // CID
                    System.arraycopy(first, 24, bhs, 24, 4);  // CmdSN
                    bhs[2] = first[2];                         // Version-max
                    bhs[3] = first[3];                         // Version-min
                } else if ((ctrl & 2) != 0) {
                    ByteBuffer.wrap(bhs).putShort(8, (short) (isid >>> 32)).putInt(10, (int) isid).putShort(14, (short) 0);
                    bhs[2] = 0;
                    bhs[3] = 0;
                }
                if (first == null) {
                    first = bhs.clone();
                }
                STATS.pdus.incrementAndGet();
                if ((ctrl & 4) != 0) {
                    // The lengths as the header gives them: the target may wait for bytes that never come.
                    c.send(Frames.raw(bhs, new byte[0], 0, data, false, false));
                    break;
                }
                byte[] ahs = new byte[0];
                c.send(Frames.frame(bhs, ahs, data, false, false));
                if (awaitAnswer(c)) {
                    break; // in full feature phase: that is the other fuzzer's ground
                }
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

    /** One Login Response (checked) or the close; anything else, or silence, fails. True once logged in. */
    private static boolean awaitAnswer(InVmConnection c) {
        Object m = c.poll(ANSWER_MILLIS);
        if (m == null) {
            throw new AssertionError("hang: a login-phase PDU got no answer and no close in " + ANSWER_MILLIS + " ms");
        }
        if (m == InVmConnection.CLOSED) {
            return false;
        }
        try {
            TargetPdu pdu = TargetAnswers.wellFormed(m, "login");
            if (!(pdu instanceof LoginResponse r)) {
                throw new AssertionError("login phase answered with " + pdu.opcode());
            }
            if (r.statusClass() == 0 && r.transit() && r.nsg() == 3) {
                STATS.logins.incrementAndGet();
                return true;
            }
            return false;
        } finally {
            InVmConnection.release(m);
        }
    }
}
