package io.vhba.emulator.iscsi.codec;

import static io.vhba.emulator.iscsi.codec.CodecHarness.assertSamePdu;
import static io.vhba.emulator.iscsi.codec.CodecHarness.decoder;
import static io.vhba.emulator.iscsi.codec.CodecHarness.release;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.EncoderException;
import io.vhba.emulator.iscsi.pdu.DataIn;
import io.vhba.emulator.iscsi.pdu.LoginRequest;
import io.vhba.emulator.iscsi.pdu.LogoutRequest;
import io.vhba.emulator.iscsi.pdu.NopIn;
import io.vhba.emulator.iscsi.pdu.R2T;
import org.junit.jupiter.api.Test;

import java.util.List;

class IscsiPduEncoderTest {

    private final CodecHarness harness = new CodecHarness();

    @Test
    void theHarnessSeesUnreleasedBuffers() {
        ByteBuf b = harness.buffer(new byte[10]);
        assertThat(harness.alloc.metric().usedHeapMemory()).isPositive();
        b.release();
        harness.assertAllReleased();
    }

    @Test
    void theDataSegmentIsSentWithoutCopyAndReleasedWithTheFrame() {
        ByteBuf data = harness.alloc.directBuffer(1000).writeBytes(new byte[1000]);
        data.retain(); // the test's own reference, to look at the buffer afterwards
        EmbeddedChannel channel = harness.channel(new IscsiPduEncoder().dataDigest(false));
        channel.writeOutbound(new DataIn(true, false, false, false, false, 0, 0, 1, -1, 0, 1, 2, 0, 0, 0, data));
        ByteBuf frame = channel.readOutbound();
        assertThat(data.refCnt()).as("ours and the frame's").isEqualTo(2);

        data.setByte(500, 0x5A); // visible in the frame only if the frame shares the memory
        assertThat(frame).isInstanceOf(CompositeByteBuf.class);
        assertThat(frame.readableBytes()).isEqualTo(48 + 1000);
        assertThat(frame.getByte(48 + 500)).isEqualTo((byte) 0x5A);

        frame.release();
        assertThat(data.refCnt()).isEqualTo(1);
        data.release();
        assertThat(channel.finish()).isFalse();
        harness.assertAllReleased();
    }

    @Test
    void theDataDigestIsComputedOverACompositeDataSegmentInPlace() {
        byte[] a = new byte[701];
        byte[] b = new byte[300];
        for (int i = 0; i < a.length; i++) {
            a[i] = (byte) i;
        }
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) (i * 3);
        }
        CompositeByteBuf data = harness.alloc.compositeBuffer()
                .addComponents(true, harness.alloc.directBuffer().writeBytes(a), harness.buffer(b));
        byte[] wire = harness.encode(new NopIn(0, 1, 2, 3, 4, 5, data), true, true);
        assertThat(wire).hasSize(48 + 4 + 1004 + 4);
        int expected = new Crc32cDigest().update(a, 0, a.length).update(b, 0, b.length).updatePadding(3).value();
        assertThat(ByteBufUtil.hexDump(wire, wire.length - 4, 4))
                .isEqualTo(ByteBufUtil.hexDump(Unpooled.buffer().writeIntLE(expected)));

        List<Object> decoded = harness.decode(decoder(PduOrigin.TARGET, true, true), wire);
        assertSamePdu(decoded.get(0), new NopIn(0, 1, 2, 3, 4, 5, Unpooled.wrappedBuffer(a, b)));
        release(decoded);
        harness.assertAllReleased();
    }

    @Test
    void aHeaderOnlyPduIsOneBufferWithItsHeaderDigest() {
        EmbeddedChannel channel = harness.channel(new IscsiPduEncoder().headerDigest(true).dataDigest(true));
        channel.writeOutbound(new R2T(0, 1, 2, 3, 4, 5, 6, 7, 8));
        ByteBuf frame = channel.readOutbound();
        assertThat(frame).isNotInstanceOf(CompositeByteBuf.class);
        assertThat(frame.readableBytes()).isEqualTo(52);
        assertThat(frame.getIntLE(48)).isEqualTo(Crc32cDigest.of(frame, 0, 48));
        frame.release();
        channel.finish();
        harness.assertAllReleased();
    }

    @Test
    void digestSettingsApplyFromTheNextPdu() {
        IscsiPduEncoder encoder = new IscsiPduEncoder();
        EmbeddedChannel channel = harness.channel(encoder);
        channel.writeOutbound(new R2T(0, 1, 2, 3, 4, 5, 6, 7, 8));
        encoder.headerDigest(true);
        channel.writeOutbound(new R2T(0, 1, 2, 3, 4, 5, 6, 7, 8));
        ByteBuf first = channel.readOutbound();
        ByteBuf second = channel.readOutbound();
        assertThat(first.readableBytes()).isEqualTo(48);
        assertThat(second.readableBytes()).isEqualTo(52);
        first.release();
        second.release();
        channel.finish();
        harness.assertAllReleased();
    }

    @Test
    void aFieldTooWideFailsTheWriteAndReleasesTheData() {
        ByteBuf data = harness.buffer(new byte[] {1, 2, 3});
        EmbeddedChannel channel = harness.channel(new IscsiPduEncoder());
        // CSG is two bits (§11.12.3).
        assertThatThrownBy(() -> channel.writeOutbound(
                new LoginRequest(true, false, 4, 3, 0, 0, 1, 0, 1, 0, 1, 0, data)))
                .isInstanceOf(EncoderException.class).hasRootCauseInstanceOf(IllegalArgumentException.class);
        assertThat(data.refCnt()).isZero();
        // CID is two bytes.
        assertThatThrownBy(() -> channel.writeOutbound(new LogoutRequest(true, 0, 1, 0x1_0000, 1, 1)))
                .isInstanceOf(EncoderException.class).hasRootCauseMessage("value 65536 does not fit the 2-byte field at BHS byte 20");
        assertThat((Object) channel.readOutbound()).isNull();
        channel.finish();
        harness.assertAllReleased();
    }

    @Test
    void aDataSegmentOverSixteenMebibytesIsRefused() {
        ByteBuf chunk = Unpooled.wrappedBuffer(new byte[1 << 20]);
        CompositeByteBuf huge = Unpooled.compositeBuffer(17);
        for (int i = 0; i < 16; i++) {
            huge.addComponent(true, chunk.retainedSlice());
        }
        chunk.release();
        assertThat(huge.readableBytes()).isEqualTo(0x100_0000);
        EmbeddedChannel channel = harness.channel(new IscsiPduEncoder());
        assertThatThrownBy(() -> channel.writeOutbound(new NopIn(0, 1, 2, 3, 4, 5, huge)))
                .isInstanceOf(EncoderException.class).hasRootCauseInstanceOf(IllegalArgumentException.class);
        assertThat(huge.refCnt()).isZero();
        assertThat(chunk.refCnt()).isZero();
        channel.finish();
        harness.assertAllReleased();
    }
}
