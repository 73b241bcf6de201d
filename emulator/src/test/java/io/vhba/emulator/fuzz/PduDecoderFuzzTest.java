package io.vhba.emulator.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.vhba.emulator.iscsi.codec.IscsiPduDecoder;
import io.vhba.emulator.iscsi.codec.IscsiPduEncoder;
import io.vhba.emulator.iscsi.codec.MalformedPdu;
import io.vhba.emulator.iscsi.codec.PduOrigin;
import io.vhba.emulator.iscsi.pdu.Pdu;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;

/**
 * Coverage-guided fuzzing of {@link IscsiPduDecoder} through an {@link EmbeddedChannel}, with and without
 * digests, as a target (initiator PDUs) and as an initiator (target PDUs).
 *
 * <p>Input: a flags byte, then the stream. Flags: bit 0 header digest, bit 1 data digest, bit 2 decode
 * target PDUs, bit 3 the stream is a sequence of headers whose segments and digests the harness frames
 * correctly (so that digests do not stop the fuzzer at the first PDU), bits 4-5 how the stream is cut
 * into reads (whole, 1-byte, 7-byte, 61-byte), bits 6-7 MaxRecvDataSegmentLength (8192, 512, 65536, 2^24-1).
 *
 * <p>Properties: no exception leaves the decoder; each output is a PDU or a {@link MalformedPdu}; nothing
 * follows a fatal one; a decoded PDU re-encodes to bytes that decode to the same PDU; nothing leaks.
 */
public class PduDecoderFuzzTest {
    static final FuzzStats STATS = new FuzzStats("decoder");
    private static final IscsiPduEncoder ENCODER = new IscsiPduEncoder();
    private static final int[] CUTS = {Integer.MAX_VALUE, 1, 7, 61};
    private static final int[] MRDSL = {8192, 512, 65536, (1 << 24) - 1};

    @FuzzTest(maxDuration = "5s")
    void decode(byte[] input) {
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
        if (input.length < 1) {
            return;
        }
        STATS.executions.incrementAndGet();
        int flags = input[0] & 0xFF;
        boolean headerDigest = (flags & 1) != 0;
        boolean dataDigest = (flags & 2) != 0;
        PduOrigin origin = (flags & 4) != 0 ? PduOrigin.TARGET : PduOrigin.INITIATOR;
        byte[] stream = Arrays.copyOfRange(input, 1, input.length);
        if ((flags & 8) != 0) {
            stream = framed(stream, headerDigest, dataDigest);
        }
        int cut = CUTS[(flags >> 4) & 3];
        IscsiPduDecoder decoder = new IscsiPduDecoder(origin).headerDigest(headerDigest).dataDigest(dataDigest)
                .maxRecvDataSegmentLength(MRDSL[(flags >> 6) & 3]);
        EmbeddedChannel channel = new EmbeddedChannel(decoder);
        List<Object> out = new ArrayList<>();
        try {
            for (int from = 0; from < stream.length; from += cut) {
                int n = Math.min(cut, stream.length - from);
                channel.writeInbound(Unpooled.wrappedBuffer(stream, from, n));
                drain(channel, out);
            }
            channel.finish();
            drain(channel, out);
            check(out, origin, headerDigest, dataDigest);
        } finally {
            out.forEach(io.netty.util.ReferenceCountUtil::release);
            channel.finishAndReleaseAll();
        }
        STATS.pdus.addAndGet(out.size());
        STATS.finishIfBudgetSpent();
    }

    private static void drain(EmbeddedChannel channel, List<Object> out) {
        Object m;
        while ((m = channel.readInbound()) != null) {
            out.add(m);
        }
    }

    private static void check(List<Object> out, PduOrigin origin, boolean headerDigest, boolean dataDigest) {
        boolean fatalSeen = false;
        for (Object m : out) {
            if (fatalSeen) {
                throw new AssertionError("output after a fatal defect: " + m);
            }
            if (m instanceof MalformedPdu bad) {
                fatalSeen = bad.closeConnection();
            } else if (m instanceof Pdu pdu) {
                reencodes(pdu, origin, headerDigest, dataDigest);
            } else {
                throw new AssertionError("the decoder emitted " + m);
            }
        }
    }

    /** encode(pdu) decodes to a PDU that encodes to the same bytes: no field is lost or invented. */
    private static void reencodes(Pdu pdu, PduOrigin origin, boolean headerDigest, boolean dataDigest) {
        ByteBuf first = ENCODER.encode(UnpooledByteBufAllocator.DEFAULT, pdu);
        EmbeddedChannel again = new EmbeddedChannel(new IscsiPduDecoder(origin).maxRecvDataSegmentLength((1 << 24) - 1));
        try {
            again.writeInbound(first.retainedDuplicate());
            Object decoded = again.readInbound();
            if (!(decoded instanceof Pdu p)) {
                throw new AssertionError("re-encoded " + pdu.opcode() + " decodes to " + decoded);
            }
            ByteBuf second = ENCODER.encode(UnpooledByteBufAllocator.DEFAULT, p);
            try {
                if (!io.netty.buffer.ByteBufUtil.equals(first, second)) {
                    throw new AssertionError(pdu.opcode() + " changes when re-encoded:\n"
                            + io.netty.buffer.ByteBufUtil.prettyHexDump(first) + "\n"
                            + io.netty.buffer.ByteBufUtil.prettyHexDump(second));
                }
            } finally {
                second.release();
                p.release();
            }
        } finally {
            first.release();
            again.finishAndReleaseAll();
        }
    }

    /** Frames a sequence of headers: each takes its segments from the bytes that follow, digests made right. */
    static byte[] framed(byte[] in, boolean headerDigest, boolean dataDigest) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        int at = 0;
        while (at + Frames.BHS <= in.length) {
            byte[] bhs = Arrays.copyOfRange(in, at, at + Frames.BHS);
            at += Frames.BHS;
            int ahsLength = (bhs[4] & 0xFF) * 4;
            int dataLength = Math.min((bhs[5] & 0xFF) << 16 | (bhs[6] & 0xFF) << 8 | bhs[7] & 0xFF, 1 << 16);
            byte[] ahs = Arrays.copyOfRange(in, Math.min(at, in.length), Math.min(at + ahsLength, in.length));
            ahs = Arrays.copyOf(ahs, ahsLength);
            at += ahsLength;
            byte[] data = Arrays.copyOfRange(in, Math.min(at, in.length), Math.min(at + dataLength, in.length));
            data = Arrays.copyOf(data, dataLength);
            at += dataLength;
            out.writeBytes(Frames.raw(bhs, ahs, ahsLength, data, headerDigest, dataDigest));
        }
        return out.toByteArray();
    }
}
