package io.vhba.emulator.iscsi.codec;

import static io.vhba.emulator.iscsi.codec.CodecHarness.assertSamePdu;
import static io.vhba.emulator.iscsi.codec.CodecHarness.decoder;
import static io.vhba.emulator.iscsi.codec.CodecHarness.release;
import static org.assertj.core.api.Assertions.assertThat;

import io.vhba.emulator.iscsi.pdu.Pdu;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.List;

/**
 * One byte stream of PDUs, header and data digests on, cut at every possible point and fed one
 * byte at a time: the decoder yields the same records every time, and releases every buffer.
 */
class StreamSplitTest {

    private final CodecHarness harness = new CodecHarness();

    private byte[] stream(PduOrigin origin) {
        SamplePdus samples = new SamplePdus(harness::buffer);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Pdu p : origin == PduOrigin.INITIATOR ? samples.initiatorPdus() : samples.targetPdus()) {
            out.writeBytes(harness.encode(p, true, true));
        }
        return out.toByteArray();
    }

    private static List<Pdu> expected(PduOrigin origin) {
        SamplePdus samples = SamplePdus.untracked();
        return origin == PduOrigin.INITIATOR ? samples.initiatorPdus() : samples.targetPdus();
    }

    private void assertDecodesTo(List<Object> decoded, List<Pdu> expected, String how) {
        assertThat(decoded).as(how).hasSize(expected.size());
        for (int i = 0; i < expected.size(); i++) {
            assertSamePdu(decoded.get(i), expected.get(i));
        }
        release(decoded);
    }

    @ParameterizedTest
    @EnumSource(PduOrigin.class)
    void everySplitPointYieldsTheSameRecords(PduOrigin origin) {
        byte[] stream = stream(origin);
        List<Pdu> expected = expected(origin);
        for (int split = 0; split <= stream.length; split++) {
            List<Object> decoded = harness.decode(decoder(origin, true, true),
                    Arrays.copyOfRange(stream, 0, split), Arrays.copyOfRange(stream, split, stream.length));
            assertDecodesTo(decoded, expected, "split at " + split);
        }
        harness.assertAllReleased();
    }

    @ParameterizedTest
    @EnumSource(PduOrigin.class)
    void oneByteAtATimeYieldsTheSameRecords(PduOrigin origin) {
        byte[] stream = stream(origin);
        byte[][] bytes = new byte[stream.length][];
        for (int i = 0; i < stream.length; i++) {
            bytes[i] = new byte[] {stream[i]};
        }
        assertDecodesTo(harness.decode(decoder(origin, true, true), bytes), expected(origin), "byte by byte");
        harness.assertAllReleased();
    }
}
