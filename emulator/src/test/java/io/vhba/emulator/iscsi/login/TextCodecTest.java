package io.vhba.emulator.iscsi.login;

import static io.vhba.emulator.iscsi.login.LoginTexts.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.Unpooled;
import io.vhba.emulator.iscsi.login.TextFormatException.Reason;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class TextCodecTest {

    @Test
    void decodesPairsInOrder() {
        List<TextPair> pairs = TextCodec.decode(text("InitiatorName=iqn.x:y", "SessionType=Normal", "X-com.a.b=c=d"));

        assertThat(pairs).containsExactly(new TextPair("InitiatorName", "iqn.x:y"),
                new TextPair("SessionType", "Normal"), new TextPair("X-com.a.b", "c=d"));
    }

    @Test
    void valueIsEverythingAfterTheFirstEqualsAndMayBeEmpty() {
        assertThat(TextCodec.decode(text("InitiatorAlias=", "K=a=b")))
                .containsExactly(new TextPair("InitiatorAlias", ""), new TextPair("K", "a=b"));
    }

    @Test
    void encodesEachPairWithANullTerminator() {
        byte[] bytes = TextCodec.encode(List.of(new TextPair("HeaderDigest", "None"), new TextPair("A", "b")));

        assertThat(bytes).isEqualTo("HeaderDigest=None\0A=b\0".getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void decodesTheReadableBytesOfABufferWithoutConsumingThem() {
        var buffer = Unpooled.wrappedBuffer(text("A=1"));

        assertThat(TextCodec.decode(buffer)).containsExactly(new TextPair("A", "1"));
        assertThat(buffer.readableBytes()).isEqualTo(4);
    }

    @Test
    void skipsNullPadding() {
        assertThat(TextCodec.decode("A=1\0\0\0\0".getBytes(StandardCharsets.US_ASCII)))
                .containsExactly(new TextPair("A", "1"));
        assertThat(TextCodec.decode(new byte[0])).isEmpty();
    }

    @Test
    void keyOf63BytesIsAcceptedAnd64Rejected() {
        String key63 = "K" + "a".repeat(62);
        assertThat(TextCodec.decode(text(key63 + "=1"))).containsExactly(new TextPair(key63, "1"));

        assertThatThrownBy(() -> TextCodec.decode(text(key63 + "b=1")))
                .isInstanceOf(TextFormatException.class)
                .extracting(e -> ((TextFormatException) e).reason()).isEqualTo(Reason.KEY_TOO_LONG);
    }

    @Test
    void rejectsMalformedText() {
        assertReason("A=1\0B".getBytes(StandardCharsets.US_ASCII), Reason.MISSING_TERMINATOR);
        assertReason(text("NoEquals"), Reason.MISSING_EQUALS);
        assertReason(text("=value"), Reason.EMPTY_KEY);
        assertReason(text("Bad Key=1"), Reason.INVALID_KEY_CHARACTER);
        assertReason(text("A=1", "A=2"), Reason.DUPLICATE_KEY);
        assertReason(new byte[] {'A', '=', (byte) 0xC3, 0}, Reason.INVALID_UTF8);
        assertReason(text("A=" + "x".repeat(TextCodec.MAX_VALUE_BYTES + 1)), Reason.VALUE_TOO_LONG);
    }

    @Test
    void acceptsUtf8ValuesAndVendorKeyCharacters() {
        assertThat(TextCodec.decode(text("InitiatorAlias=Hôte ünö", "X#NodeArchitecture=a,b", "iSCSIProtocolLevel=1")))
                .containsExactly(new TextPair("InitiatorAlias", "Hôte ünö"), new TextPair("X#NodeArchitecture", "a,b"),
                        new TextPair("iSCSIProtocolLevel", "1"));
    }

    @Test
    void encodeRefusesWhatDecodeWouldRefuse() {
        assertThatThrownBy(() -> TextCodec.encode(List.of(new TextPair("A b", "1"))))
                .isInstanceOf(TextFormatException.class);
        assertThatThrownBy(() -> TextCodec.encode(List.of(new TextPair("A", "x\0y"))))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void errorMessagesNeverCarryValues() {
        assertThatThrownBy(() -> TextCodec.decode(text("CHAP_R=0xsecretish", "CHAP_R=0xother")))
                .hasMessageNotContaining("secretish").hasMessageContaining("CHAP_R");
    }

    private static void assertReason(byte[] text, Reason reason) {
        assertThatThrownBy(() -> TextCodec.decode(text))
                .isInstanceOf(TextFormatException.class)
                .extracting(e -> ((TextFormatException) e).reason()).isEqualTo(reason);
    }
}
