package io.vhba.emulator.iscsi.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.vhba.emulator.iscsi.pdu.InitiatorPdu;
import io.vhba.emulator.iscsi.pdu.NopOut;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CmdSnWindowTest {
    private final List<Integer> delivered = new ArrayList<>();

    private static NopOut nop(int cmdSn, boolean immediate) {
        return new NopOut(immediate, 0, cmdSn, -1, cmdSn, 0, Unpooled.EMPTY_BUFFER);
    }

    private boolean offer(CmdSnWindow w, int cmdSn, boolean immediate) {
        return w.offer(nop(cmdSn, immediate), cmdSn, (InitiatorPdu p) -> delivered.add(((NopOut) p).cmdSN()));
    }

    @Test
    void commandsAreDeliveredInCmdSnOrderWhateverTheArrivalOrder() {
        CmdSnWindow w = new CmdSnWindow(10, 8);
        assertThat(offer(w, 12, false)).isTrue();
        assertThat(offer(w, 11, false)).isTrue();
        assertThat(delivered).isEmpty();
        assertThat(offer(w, 10, false)).isTrue();
        assertThat(delivered).containsExactly(10, 11, 12);
        assertThat(w.expCmdSn()).isEqualTo(13);
        assertThat(w.maxCmdSn()).isEqualTo(20);
    }

    @Test
    void outOfWindowCommandsAreSilentlyIgnored() {
        CmdSnWindow w = new CmdSnWindow(10, 8);
        assertThat(offer(w, 18, false)).isFalse(); // MaxCmdSN + 1 (RFC 7143 §4.2.2.1)
        assertThat(offer(w, 9, false)).isFalse();  // below ExpCmdSN
        assertThat(delivered).isEmpty();
        assertThat(w.ignored()).isEqualTo(2);
        assertThat(offer(w, 10, false)).isTrue();
        assertThat(delivered).containsExactly(10);
    }

    @Test
    void immediateCommandsGoAtOnceAndDoNotAdvanceTheWindow() {
        CmdSnWindow w = new CmdSnWindow(10, 8);
        assertThat(offer(w, 10, true)).isTrue();
        assertThat(delivered).containsExactly(10);
        assertThat(w.expCmdSn()).isEqualTo(10);
    }

    @Test
    void theWindowWrapsAround() {
        CmdSnWindow w = new CmdSnWindow(-2, 4); // 0xFFFFFFFE
        assertThat(offer(w, 0, false)).isTrue();
        assertThat(offer(w, -1, false)).isTrue();
        assertThat(offer(w, -2, false)).isTrue();
        assertThat(delivered).containsExactly(-2, -1, 0);
        assertThat(w.expCmdSn()).isEqualTo(1);
        assertThat(offer(w, 4, false)).isTrue();
        assertThat(offer(w, 5, false)).isFalse();
    }

    @Test
    void aDuplicateEarlyCmdSnIsDropped() {
        CmdSnWindow w = new CmdSnWindow(0, 8);
        assertThat(offer(w, 3, false)).isTrue();
        assertThat(offer(w, 3, false)).isFalse();
        assertThat(w.waiting()).isEqualTo(1);
    }

    @Test
    void theImmediateDataOfCommandsWaitingForAGapIsCounted() {
        CmdSnWindow w = new CmdSnWindow(10, 8);
        NopOut early = new NopOut(false, 0, 11, -1, 11, 0, Unpooled.wrappedBuffer(new byte[100]));
        assertThat(w.wouldQueue(early, 11)).isTrue();
        assertThat(w.wouldQueue(early, 10)).as("the expected CmdSN is delivered at once").isFalse();
        assertThat(w.wouldQueue(early, 30)).as("outside the window: dropped, not queued").isFalse();
        w.offer(early, 11, p -> delivered.add(((NopOut) p).cmdSN()));
        w.offer(new NopOut(false, 0, 12, -1, 12, 0, Unpooled.wrappedBuffer(new byte[50])), 12, p -> { });
        assertThat(w.earlyBytes()).isEqualTo(150);
        assertThat(w.wouldQueue(early, 11)).as("a duplicate CmdSN is not queued again").isFalse();
        offer(w, 10, false);
        assertThat(w.earlyBytes()).isZero();
        w.offer(new NopOut(false, 0, 14, -1, 14, 0, Unpooled.wrappedBuffer(new byte[70])), 14, p -> { });
        assertThat(w.earlyBytes()).isEqualTo(70);
        w.clear(p -> p.release());
        assertThat(w.earlyBytes()).isZero();
    }
}
