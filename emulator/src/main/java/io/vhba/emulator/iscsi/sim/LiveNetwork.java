package io.vhba.emulator.iscsi.sim;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.vhba.emulator.kernel.sched.DeterministicScheduler;
import io.vhba.emulator.record.RecordEntry;
import io.vhba.emulator.record.RecordedInput;
import java.io.ByteArrayOutputStream;
import java.util.function.Consumer;

/**
 * The sockets of a live deterministic run. They live on a real I/O event loop with nothing but an {@link IoBridge}
 * in their pipeline: each socket event becomes an input that waits in the scheduler's inbox, enters the simulation
 * at a scheduling point, and is recorded there with its step and virtual time (OPEN, DATA per read burst, CLOSE).
 * What the target writes on the {@link SimChannel} is copied to the socket at once.
 */
public final class LiveNetwork {
    private final DeterministicScheduler scheduler;
    private final SimConnections connections;
    private final Consumer<RecordEntry> log;

    /** A socket and, once its OPEN was admitted, its connection id. */
    private static final class Connection {
        final Channel socket;
        int id = -1;

        Connection(Channel socket) {
            this.socket = socket;
        }
    }

    public LiveNetwork(DeterministicScheduler scheduler, SimConnections connections, Consumer<RecordEntry> log) {
        this.scheduler = scheduler;
        this.connections = connections;
        this.log = log;
    }

    /** The handler of one accepted socket. */
    public IoBridge bridge() {
        return new IoBridge();
    }

    /** Socket events to inputs. Runs on the I/O loop; touches nothing simulated. */
    public final class IoBridge extends ChannelInboundHandlerAdapter {
        private Connection connection;
        private final ByteArrayOutputStream burst = new ByteArrayOutputStream();

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            Connection c = new Connection(ctx.channel());
            connection = c;
            String local = SimConnections.format(ctx.channel().localAddress());
            String remote = SimConnections.format(ctx.channel().remoteAddress());
            scheduler.offer((step, t) -> {
                c.id = connections.nextId();
                log.accept(new RecordEntry(step, t, new RecordedInput.Open(c.id, local, remote)));
                connections.open(c.id, local, remote, socketSink(c.socket));
            });
            ctx.fireChannelActive();
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf b = (ByteBuf) msg;
            try {
                b.readBytes(burst, b.readableBytes());
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            } finally {
                b.release();
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            if (burst.size() == 0) {
                return;
            }
            byte[] bytes = burst.toByteArray();
            burst.reset();
            Connection c = connection;
            scheduler.offer((step, t) -> {
                if (c.id >= 0) {
                    log.accept(new RecordEntry(step, t, new RecordedInput.Data(c.id, bytes)));
                    connections.data(c.id, bytes);
                }
            });
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            Connection c = connection;
            scheduler.offer((step, t) -> {
                if (c.id >= 0) {
                    log.accept(new RecordEntry(step, t, new RecordedInput.Close(c.id)));
                    connections.close(c.id);
                }
            });
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close(); // a socket error: the connection is gone, which channelInactive reports
        }
    }

    /** The target's writes to the real socket: copied, since the bytes may be views of host memory the run reuses. */
    private static ConnectionSink socketSink(Channel socket) {
        return new ConnectionSink() {
            @Override
            public void write(ByteBuf data) {
                try {
                    socket.write(Unpooled.copiedBuffer(data), socket.voidPromise());
                } finally {
                    data.release();
                }
            }

            @Override
            public void flush() {
                socket.flush();
            }

            @Override
            public void close() {
                socket.close();
            }
        };
    }
}
