package io.vhba.emulator.iscsi.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
import io.vhba.emulator.fuzz.Frames;
import io.vhba.emulator.iscsi.pdu.NopOut;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/**
 * What the decoder holds goes back to the pool on every path: a partial frame when the channel closes, a
 * PDU that no handler takes (a PDU is ReferenceCounted, so Netty's own release reaches its data), a PDU
 * whose data digest is wrong.
 */
class DecoderReleaseTest {

    /** A NOP-Out ping with 100 bytes of data, header and data digests as asked. */
    private static byte[] nopOut(boolean digests) {
        byte[] bhs = new byte[Frames.BHS];
        ByteBuffer h = Frames.header(bhs);
        h.put(0, (byte) 0x40);
        h.put(1, (byte) 0x80);
        h.putInt(16, 7);
        h.putInt(20, -1);
        return Frames.frame(bhs, new byte[0], new byte[100], digests, digests);
    }

    private static ByteBuf pooled(byte[] bytes, int length) {
        ByteBuf b = PooledByteBufAllocator.DEFAULT.directBuffer(length);
        b.writeBytes(bytes, 0, length);
        return b;
    }

    @Test
    void aPartialFrameHeldWhenTheChannelClosesIsReleased() {
        byte[] frame = nopOut(true);
        EmbeddedChannel channel = new EmbeddedChannel(new IscsiPduDecoder(PduOrigin.INITIATOR).headerDigest(true).dataDigest(true));
        ByteBuf in = pooled(frame, frame.length - 4); // all but the data digest: the decoder holds the data
        in.retain();
        channel.writeInbound(in);
        assertThat((Object) channel.readInbound()).isNull();
        assertThat(in.refCnt()).as("our reference and the decoder's data slice").isEqualTo(2);

        channel.finishAndReleaseAll();

        assertThat(in.refCnt()).isEqualTo(1);
        in.release();
    }

    @Test
    void aPduNoHandlerTakesIsReleasedThroughReferenceCountUtil() {
        byte[] frame = nopOut(false);
        EmbeddedChannel channel = new EmbeddedChannel(new IscsiPduDecoder(PduOrigin.INITIATOR));
        ByteBuf in = pooled(frame, frame.length);
        in.retain();
        channel.writeInbound(in);
        Object pdu = channel.readInbound();
        assertThat(pdu).isInstanceOf(NopOut.class);
        assertThat(in.refCnt()).as("our reference and the PDU's data slice").isEqualTo(2);

        // What Netty's tail handler and a closed channel's outbound buffer do with a message.
        ReferenceCountUtil.release(pdu);

        assertThat(in.refCnt()).isEqualTo(1);
        in.release();
        channel.finishAndReleaseAll();
    }

    @Test
    void aPduWithAWrongDataDigestIsDroppedAndReleased() {
        byte[] frame = nopOut(true);
        frame[frame.length - 1] ^= 1;
        EmbeddedChannel channel = new EmbeddedChannel(new IscsiPduDecoder(PduOrigin.INITIATOR).headerDigest(true).dataDigest(true));
        ByteBuf in = pooled(frame, frame.length);
        in.retain();
        channel.writeInbound(in);
        assertThat((Object) channel.readInbound()).isInstanceOf(MalformedPdu.class);

        assertThat(in.refCnt()).isEqualTo(1);
        in.release();
        channel.finishAndReleaseAll();
    }
}
