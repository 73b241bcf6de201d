package io.vhba.emulator.iscsi.login;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ValueSyntaxTest {

    @Test
    void numbersAreDecimalOrHexConstants() {
        assertThat(ValueSyntax.parseNumber("0")).hasValue(0);
        assertThat(ValueSyntax.parseNumber("8192")).hasValue(8192);
        assertThat(ValueSyntax.parseNumber("0x2000")).hasValue(8192);
        assertThat(ValueSyntax.parseNumber("0X2000")).hasValue(8192);
        assertThat(ValueSyntax.parseNumber("0xffffffffffffffff")).hasValue(Long.MAX_VALUE);
    }

    @Test
    void malformedNumbersAreRefused() {
        for (String bad : List.of("", "08192", "0x", "12a", "-1", "+1", "1 ", "0b1", "\u0663",
                "18446744073709551616", "0x10000000000000000")) {
            assertThat(ValueSyntax.parseNumber(bad)).as("'%s'", bad).isEmpty();
        }
    }

    @Test
    void booleansAreExactlyYesOrNo() {
        assertThat(ValueSyntax.parseBoolean("Yes")).hasValue(true);
        assertThat(ValueSyntax.parseBoolean("No")).hasValue(false);
        assertThat(ValueSyntax.parseBoolean("yes")).isEmpty();
        assertThat(ValueSyntax.parseBoolean("True")).isEmpty();
    }

    @Test
    void listsSplitOnCommasAndRefuseEmptyOrLongItems() {
        assertThat(ValueSyntax.parseList("CRC32C,None")).hasValue(List.of("CRC32C", "None"));
        assertThat(ValueSyntax.parseList("None")).hasValue(List.of("None"));
        assertThat(ValueSyntax.parseList("a,,b")).isEmpty();
        assertThat(ValueSyntax.parseList("a,")).isEmpty();
        assertThat(ValueSyntax.parseList("x".repeat(256))).isEmpty();
        assertThat(ValueSyntax.parseList("x".repeat(255))).isPresent();
    }

    @Test
    void binaryValuesInHexAndBase64() {
        assertThat(ValueSyntax.parseBinary("0x000102")).hasValue(new byte[] {0, 1, 2});
        assertThat(ValueSyntax.parseBinary("0XAbCd")).hasValue(new byte[] {(byte) 0xab, (byte) 0xcd});
        // §6.1: n hex digits make (n+1)/2 bytes, the odd one a leading nibble.
        assertThat(ValueSyntax.parseBinary("0x102")).hasValue(new byte[] {0x01, 0x02});
        assertThat(ValueSyntax.parseBinary("0bAAECAwQFBgcICQoLDA0ODw==")).hasValue(
                new byte[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15});
        assertThat(ValueSyntax.parseBinary("0B/w==")).hasValue(new byte[] {(byte) 0xff});
    }

    @Test
    void malformedBinaryValuesAreRefused() {
        for (String bad : List.of("", "0x", "0b", "1234", "0xzz", "0b***", "0c12")) {
            assertThat(ValueSyntax.parseBinary(bad)).as("'%s'", bad).isEmpty();
        }
    }

    @Test
    void hexEncodingIsLowerCaseWithPrefix() {
        assertThat(ValueSyntax.hexValue(new byte[] {0x0a, (byte) 0xff})).isEqualTo("0x0aff");
    }
}
