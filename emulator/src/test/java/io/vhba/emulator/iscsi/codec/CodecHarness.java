package io.vhba.emulator.iscsi.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.ResourceLeakDetector;
import io.vhba.emulator.iscsi.pdu.Pdu;

import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs the codec in EmbeddedChannels on an allocator that counts its live memory, so a test can
 * assert that every buffer (input, cumulation, header, trailer, data slice) was released.
 */
final class CodecHarness {
    static {
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
    }

    final UnpooledByteBufAllocator alloc = new UnpooledByteBufAllocator(false);

    /** A tracked buffer holding {@code bytes}. */
    ByteBuf buffer(byte[] bytes) {
        return alloc.heapBuffer(bytes.length).writeBytes(bytes);
    }

    EmbeddedChannel channel(io.netty.channel.ChannelHandler... handlers) {
        EmbeddedChannel channel = new EmbeddedChannel();
        channel.config().setAllocator(alloc);
        channel.pipeline().addLast(handlers);
        return channel;
    }

    /** The bytes the encoder writes for {@code pdu}; consumes the PDU's data reference. */
    byte[] encode(Pdu pdu, boolean headerDigest, boolean dataDigest) {
        EmbeddedChannel channel = channel(new IscsiPduEncoder().headerDigest(headerDigest).dataDigest(dataDigest));
        assertThat(channel.writeOutbound(pdu)).isTrue();
        ByteBuf frame = channel.readOutbound();
        assertThat((Object) channel.readOutbound()).as("one buffer per PDU").isNull();
        byte[] bytes = ByteBufUtil.getBytes(frame);
        frame.release();
        assertThat(channel.finish()).isFalse();
        return bytes;
    }

    /** Everything the decoder emits for the chunks, written one after the other. */
    List<Object> decode(IscsiPduDecoder decoder, byte[]... chunks) {
        EmbeddedChannel channel = channel(decoder);
        List<Object> out = new ArrayList<>();
        for (byte[] chunk : chunks) {
            channel.writeInbound(buffer(chunk));
            drain(channel, out);
        }
        channel.finish();
        drain(channel, out);
        return out;
    }

    static void drain(EmbeddedChannel channel, List<Object> out) {
        for (Object o; (o = channel.readInbound()) != null; ) {
            out.add(o);
        }
    }

    static IscsiPduDecoder decoder(PduOrigin origin, boolean headerDigest, boolean dataDigest) {
        return new IscsiPduDecoder(origin).headerDigest(headerDigest).dataDigest(dataDigest);
    }

    static PduOrigin originOf(Pdu pdu) {
        return pdu.opcode().isInitiator() ? PduOrigin.INITIATOR : PduOrigin.TARGET;
    }

    static void release(List<?> messages) {
        for (Object m : messages) {
            if (m instanceof Pdu p) {
                p.release();
            } else {
                ReferenceCountUtil.release(m);
            }
        }
    }

    void assertAllReleased() {
        assertThat(alloc.metric().usedHeapMemory()).as("heap bytes still referenced").isZero();
        assertThat(alloc.metric().usedDirectMemory()).as("direct bytes still referenced").isZero();
    }

    /** Field-by-field equality of two records; CDBs and data segments compared by content. */
    static void assertSamePdu(Object actual, Pdu expected) {
        assertThat(actual).isInstanceOf(expected.getClass());
        for (RecordComponent c : expected.getClass().getRecordComponents()) {
            String name = expected.getClass().getSimpleName() + "." + c.getName();
            Object a = get(c, actual);
            Object e = get(c, expected);
            if (e instanceof byte[] eb) {
                assertThat((byte[]) a).as(name).containsExactly(eb);
            } else if (e instanceof ByteBuf eb) {
                assertThat(ByteBufUtil.hexDump((ByteBuf) a)).as(name).isEqualTo(ByteBufUtil.hexDump(eb));
            } else {
                assertThat(a).as(name).isEqualTo(e);
            }
        }
    }

    private static Object get(RecordComponent c, Object record) {
        try {
            return c.getAccessor().invoke(record);
        } catch (ReflectiveOperationException ex) {
            throw new AssertionError(ex);
        }
    }
}
