package io.vhba.emulator.iscsi.login;

import static io.vhba.emulator.iscsi.login.LoginTexts.buffer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class TextSegmenterTest {

    @Test
    void splitsIntoPiecesNoLargerThanTheLimit() {
        byte[] text = new byte[2500];
        for (int i = 0; i < text.length; i++) {
            text[i] = (byte) i;
        }

        List<byte[]> pieces = TextSegmenter.split(text, 1024);

        assertThat(pieces).extracting(p -> p.length).containsExactly(1024, 1024, 452);
        TextReassembler reassembler = new TextReassembler();
        for (int i = 0; i < pieces.size() - 1; i++) {
            assertThat(reassembler.append(buffer(pieces.get(i)), true)).isEmpty();
        }
        assertThat(reassembler.append(buffer(pieces.get(pieces.size() - 1)), false)).hasValue(text);
    }

    @Test
    void exactMultipleMakesNoEmptyTrailingPiece() {
        assertThat(TextSegmenter.split(new byte[2048], 1024)).extracting(p -> p.length).containsExactly(1024, 1024);
    }

    @Test
    void emptyTextIsOneEmptyPiece() {
        assertThat(TextSegmenter.split(new byte[0], 512)).singleElement().satisfies(p -> assertThat(p).isEmpty());
    }

    @Test
    void rejectsANonPositiveLimit() {
        assertThatThrownBy(() -> TextSegmenter.split(new byte[1], 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
