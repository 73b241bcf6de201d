package io.vhba.emulator.iscsi.codec;

import static io.vhba.emulator.iscsi.codec.CodecHarness.assertSamePdu;
import static io.vhba.emulator.iscsi.codec.CodecHarness.decoder;
import static io.vhba.emulator.iscsi.codec.CodecHarness.originOf;
import static io.vhba.emulator.iscsi.codec.CodecHarness.release;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.vhba.emulator.iscsi.pdu.NopIn;
import io.vhba.emulator.iscsi.pdu.Opcode;
import io.vhba.emulator.iscsi.pdu.Pdu;
import io.vhba.emulator.iscsi.pdu.ScsiCommand;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/** Every record through encoder and decoder, with each combination of digests. */
class RoundTripTest {

    private final CodecHarness harness = new CodecHarness();

    @Test
    void theSamplesCoverAllEighteenOpcodesAndTheTableMapsEachToItsRecord() {
        List<Pdu> samples = SamplePdus.untracked().all();
        Set<Opcode> covered = samples.stream().map(Pdu::opcode).collect(Collectors.toCollection(() -> EnumSet.noneOf(Opcode.class)));
        assertThat(covered).containsExactlyInAnyOrder(Opcode.values()).hasSize(18);
        for (Pdu p : samples) {
            assertThat(PduFormats.of(p.opcode()).type()).isEqualTo(p.getClass());
        }
    }

    @ParameterizedTest(name = "headerDigest={0} dataDigest={1}")
    @CsvSource({"false,false", "true,false", "false,true", "true,true"})
    void everyRecordSurvivesTheRoundTrip(boolean headerDigest, boolean dataDigest) {
        List<Pdu> sent = new SamplePdus(harness::buffer).all();
        List<Pdu> expected = SamplePdus.untracked().all();
        for (int i = 0; i < sent.size(); i++) {
            Pdu pdu = sent.get(i);
            byte[] wire = harness.encode(pdu, headerDigest, dataDigest);
            int dataLength = expected.get(i).data().readableBytes();
            int expectedLength = 48 + ahsLength(expected.get(i)) + (headerDigest ? 4 : 0)
                    + (dataLength == 0 ? 0 : AdditionalHeaders.padded(dataLength) + (dataDigest ? 4 : 0));
            assertThat(wire).as(pdu.opcode() + " length on the wire").hasSize(expectedLength);

            List<Object> decoded = harness.decode(decoder(originOf(pdu), headerDigest, dataDigest), wire);
            assertThat(decoded).as(pdu.opcode().toString()).hasSize(1);
            assertSamePdu(decoded.get(0), expected.get(i));
            release(decoded);
        }
        harness.assertAllReleased();
    }

    private static int ahsLength(Pdu pdu) {
        if (!(pdu instanceof ScsiCommand c)) {
            return 0;
        }
        return AdditionalHeaders.of(c.cdb(), c.expectedBidirectionalReadLength()).encodedLength();
    }

    @Test
    void extendedCdbAndBidirectionalReadLengthShareTheAhs() {
        // 18-byte CDB: AHSLength 3, 6 bytes padded to 8; bidi read EDTL: 8 bytes. TotalAHSLength 4 words.
        byte[] wire = harness.encode(SamplePdus.untracked().initiatorPdus().get(3), false, false);
        assertThat(wire[4]).isEqualTo((byte) 4);
        assertThat(java.util.Arrays.copyOfRange(wire, 48, 64)).containsExactly(
                0x00, 0x03, 0x01, 0x00, 0x10, 0x11, 0x00, 0x00,   // Extended CDB: CDB bytes 16-17, 2 bytes padding
                0x00, 0x05, 0x02, 0x00, 0x00, 0x00, (byte) 0x80, 0x00); // Bidirectional Read EDTL 0x8000
    }

    @Test
    void aCdbShorterThanSixteenBytesComesBackZeroFilledToSixteen() {
        // The BHS has no CDB length (§11.3.5); the SCSI layer knows a CDB's length from its opcode.
        byte[] inquiry = {0x12, 0, 0, 0, 0x24, 0};
        byte[] wire = harness.encode(new ScsiCommand(false, true, true, false, 1, 0, 5, 36, 1, 1, inquiry, -1,
                Unpooled.EMPTY_BUFFER), false, false);
        List<Object> decoded = harness.decode(decoder(PduOrigin.INITIATOR, false, false), wire);
        assertThat(((ScsiCommand) decoded.get(0)).cdb())
                .containsExactly(0x12, 0, 0, 0, 0x24, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
    }

    @ParameterizedTest(name = "{0} data bytes")
    @CsvSource({"1,3", "2,2", "3,1", "4,0", "5,3", "8,0"})
    void dataSegmentsArePaddedToFourBytesWithZeros(int length, int padding) {
        byte[] payload = new byte[length];
        java.util.Arrays.fill(payload, (byte) 0xA5);
        byte[] wire = harness.encode(new NopIn(0, 1, 2, 3, 4, 5, harness.buffer(payload)), false, false);
        assertThat(wire).hasSize(48 + length + padding);
        assertThat(java.util.Arrays.copyOfRange(wire, 5, 8)).containsExactly(0, 0, length);
        for (int i = 48 + length; i < wire.length; i++) {
            assertThat(wire[i]).as("padding byte %d", i).isZero();
        }
        List<Object> decoded = harness.decode(decoder(PduOrigin.TARGET, false, false), wire);
        assertThat(((NopIn) decoded.get(0)).data().readableBytes()).isEqualTo(length);
        release(decoded);
        harness.assertAllReleased();
    }
}
