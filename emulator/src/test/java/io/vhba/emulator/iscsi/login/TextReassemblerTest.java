package io.vhba.emulator.iscsi.login;

import static io.vhba.emulator.iscsi.login.LoginTexts.buffer;
import static io.vhba.emulator.iscsi.login.LoginTexts.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TextReassemblerTest {

    /** Includes a two-byte UTF-8 character, so some splits cut it in half. */
    private static final byte[] TEXT = text("InitiatorName=iqn.x:y", "InitiatorAlias=hé", "MaxBurstLength=65536");
    private static final List<TextPair> PAIRS = TextCodec.decode(TEXT);

    @Test
    void joinsTwoPiecesAtEverySplitPoint() {
        for (int cut = 0; cut <= TEXT.length; cut++) {
            TextReassembler reassembler = new TextReassembler();

            assertThat(reassembler.append(buffer(Arrays.copyOfRange(TEXT, 0, cut)), true)).isEmpty();
            assertThat(reassembler.inProgress()).isTrue();
            Optional<byte[]> whole = reassembler.append(buffer(Arrays.copyOfRange(TEXT, cut, TEXT.length)), false);

            assertThat(whole).as("cut at %d", cut).hasValueSatisfying(t -> assertThat(TextCodec.decode(t)).isEqualTo(PAIRS));
            assertThat(reassembler.inProgress()).isFalse();
        }
    }

    @Test
    void joinsThreePiecesAtEveryPairOfSplitPoints() {
        for (int a = 0; a <= TEXT.length; a++) {
            for (int b = a; b <= TEXT.length; b++) {
                TextReassembler reassembler = new TextReassembler();
                reassembler.append(buffer(Arrays.copyOfRange(TEXT, 0, a)), true);
                reassembler.append(buffer(Arrays.copyOfRange(TEXT, a, b)), true);
                byte[] whole = reassembler.append(buffer(Arrays.copyOfRange(TEXT, b, TEXT.length)), false).orElseThrow();

                assertThat(whole).as("cuts at %d and %d", a, b).isEqualTo(TEXT);
            }
        }
    }

    @Test
    void aSinglePduWithoutContinueIsTheWholeText() {
        assertThat(new TextReassembler().append(buffer(TEXT), false)).hasValue(TEXT);
    }

    @Test
    void startsAfreshAfterEachText() {
        TextReassembler reassembler = new TextReassembler();
        reassembler.append(buffer(text("A=1")), false);

        assertThat(reassembler.append(buffer(text("B=2")), false)).hasValue(text("B=2"));
    }

    @Test
    void refusesTextBeyondTheLimitAndDropsIt() {
        TextReassembler reassembler = new TextReassembler(8192);
        reassembler.append(buffer(new byte[8000]), true);

        assertThatThrownBy(() -> reassembler.append(buffer(new byte[200]), true))
                .isInstanceOf(TextFormatException.class)
                .extracting(e -> ((TextFormatException) e).reason()).isEqualTo(TextFormatException.Reason.TEXT_TOO_LONG);
        assertThat(reassembler.inProgress()).isFalse();
        assertThat(reassembler.append(buffer(text("A=1")), false)).hasValue(text("A=1"));
    }

    @Test
    void theLimitIsAtLeastWhatRfc7143Requires() {
        assertThatThrownBy(() -> new TextReassembler(8191)).isInstanceOf(IllegalArgumentException.class);
        assertThat(TextReassembler.DEFAULT_MAX_BYTES).isEqualTo(65536);
    }
}
