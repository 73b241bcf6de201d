package io.vhba.emulator.fuzz;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.DefaultEventLoopGroup;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.local.LocalAddress;
import io.netty.channel.local.LocalChannel;
import io.netty.util.ReferenceCountUtil;
import io.vhba.emulator.iscsi.codec.IscsiPduDecoder;
import io.vhba.emulator.iscsi.codec.PduOrigin;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A fuzzer's connection to the in-VM portal of {@link FuzzTarget}: raw bytes out, decoded target PDUs in.
 * Everything the target writes goes through a {@link PduOrigin#TARGET} decoder, so a malformed answer
 * shows up as a {@link io.vhba.emulator.iscsi.codec.MalformedPdu} in {@link #poll}.
 */
public final class InVmConnection implements AutoCloseable {
    /** What {@link #poll} returns once the target has closed the connection. */
    public static final Object CLOSED = new Object() {
        @Override
        public String toString() {
            return "CLOSED";
        }
    };

    private static final EventLoopGroup CLIENT_LOOP = new DefaultEventLoopGroup(1, r -> {
        Thread t = new Thread(r, "fuzz-client");
        t.setDaemon(true);
        return t;
    });

    private final Channel channel;
    private final IscsiPduDecoder decoder;
    private final BlockingQueue<Object> in = new LinkedBlockingQueue<>();
    private volatile boolean closed;

    public InVmConnection(LocalAddress address) {
        decoder = new IscsiPduDecoder(PduOrigin.TARGET).maxRecvDataSegmentLength((1 << 24) - 1);
        channel = new Bootstrap().group(CLIENT_LOOP).channel(LocalChannel.class)
                .handler(new ChannelInitializer<LocalChannel>() {
                    @Override
                    protected void initChannel(LocalChannel ch) {
                        ch.pipeline().addLast(decoder, new ChannelInboundHandlerAdapter() {
                            @Override
                            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                                in.add(msg);
                            }

                            @Override
                            public void channelInactive(ChannelHandlerContext ctx) {
                                closed = true;
                                in.add(CLOSED);
                            }

                            @Override
                            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                                in.add(cause);
                                ctx.close();
                            }
                        });
                    }
                }).connect(address).syncUninterruptibly().channel();
    }

    /** Sends bytes as they are; false once the connection is closed. */
    public boolean send(byte[] bytes) {
        if (closed || !channel.isActive()) {
            return false;
        }
        channel.writeAndFlush(Unpooled.wrappedBuffer(bytes));
        return true;
    }

    /** The next decoded PDU, {@link #CLOSED}, an exception of the client pipeline, or null after {@code millis}. */
    public Object poll(long millis) {
        try {
            return in.poll(millis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    public boolean closed() {
        return closed;
    }

    /** Switches the client decoder's digests (from the PDU after the final login response, RFC 7143 §13.1). */
    public void digests(boolean header, boolean data) {
        channel.eventLoop().submit(() -> decoder.headerDigest(header).dataDigest(data)).syncUninterruptibly();
    }

    /** Closes the connection and releases whatever was received and not taken. */
    @Override
    public void close() {
        channel.close().syncUninterruptibly();
        Object m;
        while ((m = in.poll()) != null) {
            ReferenceCountUtil.release(m);
        }
    }

    /** Releases a polled message if it holds a buffer. */
    public static void release(Object m) {
        ReferenceCountUtil.release(m);
    }
}
