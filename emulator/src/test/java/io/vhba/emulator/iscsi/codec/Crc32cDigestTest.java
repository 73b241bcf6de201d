package io.vhba.emulator.iscsi.codec;

import static io.vhba.emulator.iscsi.codec.Hex.hex;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

import java.util.stream.IntStream;
import java.util.stream.Stream;

/** The CRC examples of RFC 7143 Appendix A.4 (RFC 3720 Appendix B.4), as bytes on the wire. */
class Crc32cDigestTest {

    static Stream<Arguments> rfcExamples() {
        byte[] incrementing = new byte[32];
        byte[] decrementing = new byte[32];
        for (int i = 0; i < 32; i++) {
            incrementing[i] = (byte) i;
            decrementing[i] = (byte) (31 - i);
        }
        byte[] ones = new byte[32];
        java.util.Arrays.fill(ones, (byte) 0xFF);
        byte[] scsiRead10 = hex("""
                01 c0 00 00  00 00 00 00  00 00 00 00  00 00 00 00
                14 00 00 00  00 00 04 00  00 00 00 14  00 00 00 18
                28 00 00 00  00 00 00 00  02 00 00 00  00 00 00 00
                """);
        return Stream.of(
                Arguments.of("32 bytes of zeroes", new byte[32], "aa36918a"),
                Arguments.of("32 bytes of ones", ones, "43aba862"),
                Arguments.of("32 bytes of incrementing 00..1f", incrementing, "4e79dd46"),
                Arguments.of("32 bytes of decrementing 1f..00", decrementing, "5cdb3f11"),
                Arguments.of("an iSCSI - SCSI Read (10) Command PDU", scsiRead10, "563a96d9"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rfcExamples")
    void rfcExampleOnTheWire(String name, byte[] input, String wireHex) {
        ByteBuf wire = Unpooled.buffer();
        Crc32cDigest.write(wire, Crc32cDigest.of(input));
        assertThat(ByteBufUtil.hexDump(wire)).isEqualTo(wireHex);
        assertThat(Crc32cDigest.read(wire)).isEqualTo(Crc32cDigest.of(input));
    }

    @Test
    void zeroesGiveTheValueThatIsWrittenLeastSignificantByteFirst() {
        assertThat(Crc32cDigest.of(new byte[32])).isEqualTo(0x8A9136AA);
    }

    @Test
    void compositeDirectAndHeapBuffersDigestInPlaceLikeOneArray() {
        byte[] all = new byte[1000];
        IntStream.range(0, all.length).forEach(i -> all[i] = (byte) (i * 31));
        int expected = Crc32cDigest.of(all);

        ByteBuf direct = Unpooled.directBuffer(600).writeBytes(all, 0, 600);
        ByteBuf heap = Unpooled.buffer(400).writeBytes(all, 600, 400);
        CompositeByteBuf composite = Unpooled.compositeBuffer().addComponents(true, direct, heap);
        try {
            assertThat(composite.nioBufferCount()).isEqualTo(2);
            assertThat(Crc32cDigest.of(composite, 0, 1000)).isEqualTo(expected);
            // A region spanning the component boundary, from a non-zero index.
            assertThat(Crc32cDigest.of(composite, 100, 800))
                    .isEqualTo(new Crc32cDigest().update(all, 100, 800).value());
            assertThat(composite.readerIndex()).isZero();
            assertThat(composite.writerIndex()).isEqualTo(1000);
        } finally {
            composite.release();
        }
    }

    @Test
    void paddingCountsAsZeroBytes() {
        byte[] data = hex("01 02 03 04 05");
        byte[] padded = hex("01 02 03 04 05 00 00 00");
        assertThat(new Crc32cDigest().update(data, 0, 5).updatePadding(3).value()).isEqualTo(Crc32cDigest.of(padded));
    }
}
