package io.vhba.emulator.iscsi.sim;

import io.netty.buffer.ByteBuf;
import io.netty.channel.AbstractChannel;
import io.netty.channel.ChannelConfig;
import io.netty.channel.ChannelMetadata;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.ChannelPromise;
import io.netty.channel.DefaultChannelConfig;
import io.netty.channel.EventLoop;
import io.vhba.emulator.kernel.sched.SimulatedEventLoop;
import java.net.SocketAddress;

/**
 * An in-memory Netty channel on a simulated processor: an iSCSI connection of a deterministic run. Its pipeline is
 * the ordinary one (decoder, encoder, connection handler), run on the processor's {@link SimulatedEventLoop}; the
 * bytes an initiator sent arrive as inputs ({@link SimConnections#data}), and what the target writes goes to a
 * {@link ConnectionSink} as it is flushed. It is active from registration until closed.
 */
public final class SimChannel extends AbstractChannel {
    private static final ChannelMetadata METADATA = new ChannelMetadata(false);

    private final ChannelConfig config = new DefaultChannelConfig(this);
    private final SocketAddress local;
    private final SocketAddress remote;
    private final ConnectionSink sink;
    private volatile boolean open = true;

    public SimChannel(SocketAddress local, SocketAddress remote, ConnectionSink sink) {
        super(null);
        this.local = local;
        this.remote = remote;
        this.sink = sink;
    }

    @Override
    protected AbstractUnsafe newUnsafe() {
        return new AbstractUnsafe() {
            @Override
            public void connect(SocketAddress remoteAddress, SocketAddress localAddress, ChannelPromise promise) {
                promise.setFailure(new UnsupportedOperationException("a simulated connection is opened by its input"));
            }
        };
    }

    @Override
    protected boolean isCompatible(EventLoop loop) {
        return loop instanceof SimulatedEventLoop;
    }

    @Override
    protected SocketAddress localAddress0() {
        return local;
    }

    @Override
    protected SocketAddress remoteAddress0() {
        return remote;
    }

    @Override
    protected void doBind(SocketAddress localAddress) {
        throw new UnsupportedOperationException("a simulated connection is not bound");
    }

    @Override
    protected void doDisconnect() {
        doClose();
    }

    @Override
    protected void doClose() {
        if (open) {
            open = false;
            sink.close();
        }
    }

    @Override
    protected void doBeginRead() {
        // inputs are pushed in by the scheduler, at their steps
    }

    @Override
    protected void doWrite(ChannelOutboundBuffer in) {
        for (Object m = in.current(); m != null; m = in.current()) {
            if (m instanceof ByteBuf b) {
                sink.write(b.retain());
                in.remove();
            } else {
                in.remove(new UnsupportedOperationException("a simulated connection carries bytes, not " + m.getClass().getSimpleName()));
            }
        }
        sink.flush();
    }

    @Override
    public ChannelConfig config() {
        return config;
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public boolean isActive() {
        return open && isRegistered();
    }

    @Override
    public ChannelMetadata metadata() {
        return METADATA;
    }
}
