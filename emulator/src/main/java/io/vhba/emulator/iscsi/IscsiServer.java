package io.vhba.emulator.iscsi;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.socket.SocketChannel;
import io.vhba.emulator.config.Portal;
import io.vhba.emulator.iscsi.codec.IscsiPduDecoder;
import io.vhba.emulator.iscsi.codec.IscsiPduEncoder;
import io.vhba.emulator.iscsi.codec.PduOrigin;
import io.vhba.emulator.iscsi.session.IscsiConnectionHandler;
import io.vhba.emulator.iscsi.session.PortalContext;
import io.vhba.emulator.kernel.Kernel;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * The iSCSI portals: a Netty server on the simulated processors' own event loops, so that a
 * command is read, issued to the miniport, completed and answered on one thread (ARCHITECTURE.md,
 * "Threads and speed"). Each connection's pipeline is decoder, encoder, connection handler.
 */
public final class IscsiServer implements AutoCloseable {
    private final List<Channel> listeners;
    /** The I/O loop of a deterministic run's sockets (its own), or null. */
    private final io.netty.channel.EventLoopGroup ioGroup;

    private IscsiServer(List<Channel> listeners, io.netty.channel.EventLoopGroup ioGroup) {
        this.listeners = listeners;
        this.ioGroup = ioGroup;
    }

    /**
     * The portals of a live deterministic run: the sockets on one real I/O loop of their own ({@code iscsi-io}) with
     * only {@code bridge} in their pipeline; the iSCSI pipeline itself runs in the simulation
     * ({@link io.vhba.emulator.iscsi.sim.LiveNetwork}).
     */
    public static IscsiServer bindBridged(List<Portal> portals, java.util.function.Supplier<io.netty.channel.ChannelHandler> bridge) {
        boolean epoll = io.netty.channel.epoll.Epoll.isAvailable();
        java.util.concurrent.ThreadFactory tf = r -> {
            Thread t = new Thread(r, "iscsi-io");
            t.setDaemon(true);
            return t;
        };
        io.netty.channel.EventLoopGroup io = epoll ? new io.netty.channel.epoll.EpollEventLoopGroup(1, tf)
                : new io.netty.channel.nio.NioEventLoopGroup(1, tf);
        ServerBootstrap b = new ServerBootstrap()
                .group(io, io)
                .channel(epoll ? io.netty.channel.epoll.EpollServerSocketChannel.class
                        : io.netty.channel.socket.nio.NioServerSocketChannel.class)
                .option(ChannelOption.SO_REUSEADDR, true)
                .option(ChannelOption.SO_BACKLOG, 128)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.SO_KEEPALIVE, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(bridge.get());
                    }
                });
        List<Channel> bound = new ArrayList<>();
        try {
            for (Portal p : portals) {
                bound.add(b.bind(new InetSocketAddress(p.host(), p.port())).syncUninterruptibly().channel());
            }
        } catch (RuntimeException e) {
            bound.forEach(Channel::close);
            io.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS);
            throw e;
        }
        return new IscsiServer(bound, io);
    }

    public static IscsiServer bind(Kernel kernel, PortalContext context, List<Portal> portals) {
        ServerBootstrap b = new ServerBootstrap()
                .group(kernel.eventLoopGroup(), kernel.eventLoopGroup())
                .channel(kernel.serverChannelClass())
                .option(ChannelOption.SO_REUSEADDR, true)
                .option(ChannelOption.SO_BACKLOG, 128)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.SO_KEEPALIVE, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(1 << 20, 4 << 20))
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new IscsiPduDecoder(PduOrigin.INITIATOR), new IscsiPduEncoder(),
                                new IscsiConnectionHandler(context));
                    }
                });
        List<Channel> bound = new ArrayList<>();
        try {
            for (Portal p : portals) {
                bound.add(b.bind(new InetSocketAddress(p.host(), p.port())).syncUninterruptibly().channel());
            }
        } catch (RuntimeException e) {
            bound.forEach(Channel::close);
            throw e;
        }
        return new IscsiServer(bound, null);
    }

    /** The addresses actually bound (with the ports the OS picked for port 0). */
    public List<InetSocketAddress> addresses() {
        List<InetSocketAddress> l = new ArrayList<>();
        for (Channel c : listeners) {
            l.add((InetSocketAddress) c.localAddress());
        }
        return l;
    }

    @Override
    public void close() {
        for (Channel c : listeners) {
            c.close().syncUninterruptibly();
        }
        if (ioGroup != null) {
            ioGroup.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
        }
    }
}
